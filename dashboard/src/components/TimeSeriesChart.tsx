import { useEffect, useEffectEvent, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Interval } from '../api/client';
import type { Series } from '../analytics/series';
import { formatNumber } from '../format';

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const TICK_FORMATS: Record<Interval, Intl.DateTimeFormatOptions> = {
  minute: { hour: 'numeric', minute: '2-digit' },
  hour: { hour: 'numeric', minute: '2-digit' },
  day: { month: 'short', day: 'numeric' },
  week: { month: 'short', day: 'numeric' },
  month: { month: 'short', year: 'numeric' },
};

const LEGEND_FORMATS: Record<Interval, Intl.DateTimeFormatOptions> = {
  minute: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  hour: { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  day: { weekday: 'short', month: 'short', day: 'numeric' },
  week: { year: 'numeric', month: 'short', day: 'numeric' },
  month: { year: 'numeric', month: 'long' },
};

const INTERVAL_NAMES: Record<Interval, string> = {
  minute: 'Minute',
  hour: 'Hour',
  day: 'Day',
  week: 'Week of',
  month: 'Month',
};

const STEP_SECONDS: Record<Interval, number> = { minute: 60, hour: 3600, day: 86_400, week: 604_800, month: 2_678_400 };

function options(width: number, interval: Interval): uPlot.Options {
  const text = cssColor('--text-muted', '#555');
  const grid = cssColor('--border', '#ddd');
  const accent = cssColor('--accent', '#2d5bd7');
  const ticks = new Intl.DateTimeFormat(undefined, TICK_FORMATS[interval]);
  const legendTime = new Intl.DateTimeFormat(undefined, LEGEND_FORMATS[interval]);
  const days = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    width,
    height: 260,
    padding: [12, 28, 0, 0],
    // under the chart, the bucket and its count at the cursor
    legend: { show: true, live: true },
    cursor: { y: false, drag: { x: false, y: false } },
    scales: {
      // a bucket is drawn from its start to the next one's: room for the last one on the right
      x: { time: true, range: (_u, min, max) => [min, max + STEP_SECONDS[interval]] },
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
    },
    series: [
      { label: INTERVAL_NAMES[interval], value: (_u, seconds) => (seconds == null ? '–' : legendTime.format(new Date(seconds * 1000))) },
      {
        label: 'Clicks',
        value: (_u, count) => (count == null ? '–' : formatNumber(count)),
        fill: accent,
        width: 0,
        paths: uPlot.paths.bars?.({ size: [0.8, 48], align: 1 }),
        points: { show: false },
      },
    ],
    axes: [
      {
        ...axis,
        space: 72,
        values: (_u, splits) =>
          splits.map((seconds) => {
            const date = new Date(seconds * 1000);
            // at midnight an hourly axis shows the day instead
            return (interval === 'hour' || interval === 'minute') && date.getHours() === 0 && date.getMinutes() === 0
              ? days.format(date)
              : ticks.format(date);
          }),
      },
      { ...axis, size: 56, values: (_u, splits) => splits.map((count) => (Number.isInteger(count) ? formatNumber(count) : '')) },
    ],
  };
}

/**
 * Clicks per bucket as bars (uPlot, on a canvas). The canvas is described for screen readers by
 * `summary`; the page lists the numbers in a table beside it.
 */
export function TimeSeriesChart({ series, interval, summary }: { series: Series; interval: Interval; summary: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  // the numbers now, read when the chart is (re)built without rebuilding it for each new number
  const currentSeries = useEffectEvent(() => series);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const build = () => {
      chart.current?.destroy();
      const { xs, ys } = currentSeries();
      chart.current = new uPlot(options(element.clientWidth || 600, interval), [xs, ys], element);
    };
    build();
    const resize = new ResizeObserver(() => chart.current?.setSize({ width: element.clientWidth, height: 260 }));
    resize.observe(element);
    // colours come from the theme: a switch between light and dark draws the chart again
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', build);
    return () => {
      resize.disconnect();
      scheme.removeEventListener('change', build);
      chart.current?.destroy();
      chart.current = null;
    };
  }, [interval]);

  // new numbers (a live click, a refetch) redraw the bars and keep the cursor where it is
  useEffect(() => {
    chart.current?.setData([series.xs, series.ys]);
  }, [series]);

  return <div ref={box} className="chart" role="img" aria-label={summary} />;
}
