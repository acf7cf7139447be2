import { formatDate } from "../../lib/format";
import { providerName } from "../../lib/providers";
import type { Instance } from "./api";
import { StateBadge } from "./StateBadge";

export function InstanceTable({ instances }: { instances: Instance[] }) {
  return (
    <div className="card table-card">
      <table className="table">
        <caption className="visually-hidden">Your instances</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Where</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {instances.map((instance) => (
            <tr key={instance.id}>
              <th scope="row" data-label="Name">
                <span className="cell-primary">{instance.name}</span>
              </th>
              <td data-label="Where">{providerName(instance.provider)}</td>
              <td data-label="State">
                <StateBadge state={instance.state} />
              </td>
              <td data-label="Created">
                <time dateTime={instance.createdAt}>{formatDate(instance.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
