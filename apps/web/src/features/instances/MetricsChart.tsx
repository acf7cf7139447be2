// One uPlot chart. uPlot draws on a canvas: small (≈50 KB), fast with thousands of points and
// maintained; the canvas is hidden from screen readers, which get the summary and table in
// MetricsPanel instead. It follows its container's width, so it fits a 375 px phone.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A CSS custom property for the line colour, e.g. "--accent". */
  color: string;
  stepped?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

export function MetricsChart({
  times,
  series,
  max,
  unit,
  height = 140,
}: {
  times: number[];
  series: ChartSeries[];
  max?: number;
  unit: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = { stroke: cssVar("--text-muted"), grid: { stroke: cssVar("--border"), width: 1 }, ticks: { show: false } };
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, lo, hi) => [0, max ?? Math.max(1, hi, lo)] } },
        axes: [axis, { ...axis, size: 48, values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)}${unit}`) }],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: cssVar(s.color),
            width: 2,
            fill: `color-mix(in srgb, ${cssVar(s.color)} 12%, transparent)`,
            ...(s.stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
          })),
        ],
      },
      [times, ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [times, series, max, unit, height]);
  return <div ref={box} className="metrics-chart" aria-hidden="true" />;
}
