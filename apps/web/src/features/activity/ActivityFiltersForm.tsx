import { useId } from "react";
import { type ActivityFilters, type AuditAction, emptyFilters } from "./api";
import { ACTION_LABELS } from "./describe";

export function ActivityFiltersForm({
  value,
  onChange,
  me,
}: {
  value: ActivityFilters;
  onChange: (f: ActivityFilters) => void;
  me: { id: string; email: string } | undefined;
}) {
  const id = useId();
  const set = <K extends keyof ActivityFilters>(key: K, v: ActivityFilters[K]) => onChange({ ...value, [key]: v });
  const active = value.action || value.actor || value.from || value.to;
  return (
    <form className="card activity-filters" aria-label="Filter activity" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-action`}>
          Action
        </label>
        <select
          id={`${id}-action`}
          className="input"
          value={value.action}
          onChange={(e) => set("action", e.target.value as AuditAction | "")}
        >
          <option value="">All actions</option>
          {Object.entries(ACTION_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-actor`}>
          Who
        </label>
        <select id={`${id}-actor`} className="input" value={value.actor} onChange={(e) => set("actor", e.target.value)}>
          <option value="">Anyone</option>
          {me ? <option value={me.id}>Me ({me.email})</option> : null}
          <option value="system">Claw Cloud (system)</option>
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-from`}>
          From
        </label>
        <input
          id={`${id}-from`}
          className="input"
          type="date"
          value={value.from}
          max={value.to || undefined}
          onChange={(e) => set("from", e.target.value)}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-to`}>
          To
        </label>
        <input
          id={`${id}-to`}
          className="input"
          type="date"
          value={value.to}
          min={value.from || undefined}
          onChange={(e) => set("to", e.target.value)}
        />
      </div>
      {active ? (
        <button type="button" className="btn btn-secondary btn-sm activity-clear" onClick={() => onChange(emptyFilters)}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
