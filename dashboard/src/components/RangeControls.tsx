import { useId } from 'react';
import type { Interval } from '../api/client';
import { INTERVAL_LABELS, PRESETS, intervalsFor, type Preset } from '../analytics/ranges';

interface Props {
  preset: Preset;
  onPreset: (preset: Preset) => void;
  interval?: Interval;
  onInterval?: (interval: Interval) => void;
  includeBots: boolean;
  onIncludeBots: (include: boolean) => void;
  onRefresh: () => void;
}

/** Range (24 h, 7 d, 30 d), bucket size, bots, and a refresh up to now. */
export function RangeControls({ preset, onPreset, interval, onInterval, includeBots, onIncludeBots, onRefresh }: Props) {
  const id = useId();
  return (
    <div className="controls">
      <fieldset className="segmented">
        <legend className="visually-hidden">Time range</legend>
        {PRESETS.map((option) => (
          <label key={option.value} className={option.value === preset ? 'selected' : undefined}>
            <input
              type="radio"
              name={`${id}-range`}
              value={option.value}
              checked={option.value === preset}
              onChange={() => onPreset(option.value)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      {interval && onInterval ? (
        <div className="field-inline">
          <label htmlFor={`${id}-interval`}>Buckets</label>
          <select id={`${id}-interval`} value={interval} onChange={(event) => onInterval(event.target.value as Interval)}>
            {intervalsFor(preset).map((value) => (
              <option key={value} value={value}>
                {INTERVAL_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <label className="switch">
        <input type="checkbox" role="switch" checked={includeBots} onChange={(event) => onIncludeBots(event.target.checked)} />
        Include bots
      </label>
      <button type="button" className="button button-small" onClick={onRefresh}>
        Refresh
      </button>
    </div>
  );
}
