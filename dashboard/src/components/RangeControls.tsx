import { useId, useState, type FormEvent } from 'react';
import type { Interval } from '../api/client';
import {
  customRange,
  INTERVAL_LABELS,
  intervalsFor,
  localDay,
  PRESETS,
  rangeDays,
  rangeEndingNow,
  type TimeRange,
} from '../analytics/ranges';
import { Field } from './Field';

interface Props {
  range: TimeRange;
  onRange: (range: TimeRange) => void;
  interval?: Interval;
  onInterval?: (interval: Interval) => void;
  includeBots: boolean;
  onIncludeBots: (include: boolean) => void;
  onRefresh: () => void;
}

/** Two days in the browser's zone, applied together so that no half-typed range is asked for. */
function CustomDays({ range, onRange }: { range: TimeRange; onRange: (range: TimeRange) => void }) {
  const [days, setDays] = useState(() => rangeDays(range));
  const [error, setError] = useState<{ field: 'from' | 'to'; error: string } | null>(null);
  // the latest day a range may end on: today when the form opened
  const [today] = useState(() => localDay(Date.now()));

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = customRange(days.from, days.to);
    if ('range' in result) {
      setError(null);
      onRange(result.range);
    } else {
      setError(result);
      event.currentTarget.querySelector<HTMLInputElement>(`[name="${result.field}"]`)?.focus();
    }
  }

  return (
    <form className="custom-range" onSubmit={apply} noValidate aria-label="Custom range">
      <Field
        label="First day"
        name="from"
        type="date"
        max={today}
        value={days.from}
        onChange={(event) => setDays({ ...days, from: event.target.value })}
        error={error?.field === 'from' ? error.error : undefined}
      />
      <Field
        label="Last day"
        name="to"
        type="date"
        max={today}
        value={days.to}
        onChange={(event) => setDays({ ...days, to: event.target.value })}
        error={error?.field === 'to' ? error.error : undefined}
      />
      <button type="submit" className="button">
        Apply
      </button>
    </form>
  );
}

/** Range (24 h, 7 d, 30 d or two days), bucket size, bots, and a refresh up to now. */
export function RangeControls({ range, onRange, interval, onInterval, includeBots, onIncludeBots, onRefresh }: Props) {
  const id = useId();
  // "Custom" shows the day fields; the range itself changes when they are applied
  const [custom, setCustom] = useState(range.preset === 'custom');
  const selected = custom ? 'custom' : range.preset;
  return (
    <>
      <div className="controls">
        <fieldset className="segmented">
          <legend className="visually-hidden">Time range</legend>
          {PRESETS.map((option) => (
            <label key={option.value} className={option.value === selected ? 'selected' : undefined}>
              <input
                type="radio"
                name={`${id}-range`}
                value={option.value}
                checked={option.value === selected}
                onChange={() => {
                  setCustom(option.value === 'custom');
                  if (option.value !== 'custom') onRange(rangeEndingNow(option.value));
                }}
              />
              {option.label}
            </label>
          ))}
        </fieldset>
        {interval && onInterval ? (
          <div className="field-inline">
            <label htmlFor={`${id}-interval`}>Buckets</label>
            <select id={`${id}-interval`} value={interval} onChange={(event) => onInterval(event.target.value as Interval)}>
              {intervalsFor(range).map((value) => (
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
      {custom ? <CustomDays range={range} onRange={onRange} /> : null}
    </>
  );
}
