// The instance's health over time: CPU, memory, disk and gateway charts for the last hour, day or
// week. Loaded on demand (it carries the charting library), with a text summary and a table for
// screen readers and anyone who prefers numbers.
import { lazy, Suspense, useId, useMemo, useState } from "react";
import { formatDateTime, formatTime } from "../../lib/format";
import { Spinner } from "../../ui/Spinner";
import { type InstanceMetrics, type MetricPoint, type MetricsRange, useInstanceMetrics } from "./api";
import type { ChartSeries } from "./MetricsChart";
import "./metrics.css";

const MetricsChart = lazy(() => import("./MetricsChart").then((m) => ({ default: m.MetricsChart })));

const RANGES: { id: MetricsRange; label: string; words: string }[] = [
  { id: "1h", label: "1 hour", words: "the last hour" },
  { id: "24h", label: "24 hours", words: "the last 24 hours" },
  { id: "7d", label: "7 days", words: "the last 7 days" },
];

const pct = (used: number, total: number) => (total > 0 ? Math.round((used / total) * 1000) / 10 : 0);
const cpuPct = (p: MetricPoint) => Math.round((p.cpuLoad / Math.max(1, p.cpuCores)) * 1000) / 10;

function summary(m: InstanceMetrics, words: string): string {
  const ps = m.points;
  if (ps.length === 0) return "";
  const avg = (f: (p: MetricPoint) => number) => Math.round((ps.reduce((a, p) => a + f(p), 0) / ps.length) * 10) / 10;
  const peak = (f: (p: MetricPoint) => number) => Math.max(...ps.map(f));
  const unhealthy = ps.filter((p) => !p.gatewayHealthy).length;
  const last = ps[ps.length - 1] as MetricPoint;
  return (
    `Over ${words}: CPU averaged ${avg(cpuPct)}% (peak ${peak(cpuPct)}%); memory peaked at ${peak((p) => pct(p.memUsedMb, p.memTotalMb))}%; ` +
    `disk is ${pct(last.diskUsedMb, last.diskTotalMb)}% full; ` +
    (unhealthy === 0 ? "the gateway was healthy throughout." : `the gateway was unhealthy in ${unhealthy} of ${ps.length} intervals.`)
  );
}

function Chart({ title, times, series, max, unit }: { title: string; times: number[]; series: ChartSeries[]; max?: number; unit: string }) {
  return (
    <figure className="metrics-figure">
      <figcaption className="metrics-caption">{title}</figcaption>
      <MetricsChart times={times} series={series} max={max} unit={unit} />
    </figure>
  );
}

export default function MetricsPanel({ instanceId }: { instanceId: string }) {
  const [range, setRange] = useState<MetricsRange>("1h");
  const query = useInstanceMetrics(instanceId, range);
  const titleId = useId();
  const words = RANGES.find((r) => r.id === range)?.words ?? "";
  const data = query.data;
  const charts = useMemo(() => {
    if (!data || data.points.length === 0) return null;
    const ps = data.points;
    return {
      times: ps.map((p) => Date.parse(p.t) / 1000),
      cpu: [{ label: "CPU", values: ps.map(cpuPct), color: "--accent" }],
      memory: [{ label: "Memory", values: ps.map((p) => pct(p.memUsedMb, p.memTotalMb)), color: "--warning" }],
      disk: [{ label: "Disk", values: ps.map((p) => pct(p.diskUsedMb, p.diskTotalMb)), color: "--success" }],
      gateway: [{ label: "Gateway healthy", values: ps.map((p) => (p.gatewayHealthy ? 1 : 0)), color: "--accent", stepped: true }],
    };
  }, [data]);

  return (
    <section className="card metrics" aria-labelledby={titleId} aria-busy={query.isFetching}>
      <div className="metrics-head">
        <h2 id={titleId} className="metrics-title">
          Health over time
        </h2>
        <fieldset className="metrics-ranges">
          <legend className="visually-hidden">Time range</legend>
          {RANGES.map((r) => (
            <label key={r.id} className={`metrics-range${range === r.id ? " metrics-range-on" : ""}`}>
              <input type="radio" name={`${titleId}-range`} value={r.id} checked={range === r.id} onChange={() => setRange(r.id)} />
              {r.label}
            </label>
          ))}
        </fieldset>
      </div>
      {query.isPending ? (
        <p className="metrics-state" role="status">
          <Spinner /> Loading metrics…
        </p>
      ) : query.isError ? (
        <p className="metrics-state" role="alert">
          Metrics could not be loaded: {query.error.message}{" "}
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void query.refetch()}>
            Try again
          </button>
        </p>
      ) : !data || !charts ? (
        <p className="metrics-state">
          No heartbeats in {words} yet. The agent reports every 15 seconds; points appear here within a minute.
        </p>
      ) : (
        <>
          <p className="metrics-summary" aria-live="polite">
            {summary(data, words)}
          </p>
          <Suspense
            fallback={
              <p className="metrics-state" role="status">
                <Spinner /> Drawing charts…
              </p>
            }
          >
            <div className="metrics-grid">
              <Chart title="CPU (% of cores)" times={charts.times} series={charts.cpu} unit="%" />
              <Chart title="Memory used" times={charts.times} series={charts.memory} max={100} unit="%" />
              <Chart title="Disk used" times={charts.times} series={charts.disk} max={100} unit="%" />
              <Chart title="Gateway healthy (1 = yes)" times={charts.times} series={charts.gateway} max={1} unit="" />
            </div>
          </Suspense>
          <details className="metrics-table-wrap">
            <summary>Show the figures as a table</summary>
            <div className="metrics-table-scroll">
              <table className="metrics-table">
                <caption className="visually-hidden">Health figures over {words}, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">CPU</th>
                    <th scope="col">Memory</th>
                    <th scope="col">Disk</th>
                    <th scope="col">Gateway</th>
                  </tr>
                </thead>
                <tbody>
                  {data.points.map((p) => (
                    <tr key={p.t}>
                      <th scope="row">
                        <time dateTime={p.t} title={formatDateTime(p.t)}>
                          {range === "1h" ? formatTime(p.t) : formatDateTime(p.t)}
                        </time>
                      </th>
                      <td>{cpuPct(p)}%</td>
                      <td>{pct(p.memUsedMb, p.memTotalMb)}%</td>
                      <td>{pct(p.diskUsedMb, p.diskTotalMb)}%</td>
                      <td>{p.gatewayHealthy ? "Healthy" : "Unhealthy"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
