import { Link } from "wouter";
import { formatDateTime, formatRelative } from "../../lib/format";
import { providerName } from "../../lib/providers";
import { IconChevronRight } from "../../ui/icons";
import type { Instance } from "./api";
import { InstanceMark } from "./InstanceMark";
import { StateBadge } from "./StateBadge";

export function InstanceTable({ instances }: { instances: Instance[] }) {
  return (
    <div className="card table-card">
      <table className="table instance-table">
        <caption className="visually-hidden">Your instances</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Where</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {instances.map((instance) => (
            <tr key={instance.id} className="instance-row" data-testid="instance-row" data-state={instance.state}>
              <th scope="row" data-label="Name">
                <Link href={`/instances/${encodeURIComponent(instance.id)}`} className="instance-link">
                  {instance.name}
                </Link>
              </th>
              <td data-label="Where">
                <span className="instance-where">
                  <InstanceMark provider={instance.provider} />
                  {providerName(instance.provider)}
                </span>
              </td>
              <td data-label="State">
                <StateBadge state={instance.state} />
              </td>
              <td data-label="Created">
                <time dateTime={instance.createdAt} title={formatDateTime(instance.createdAt)}>
                  {formatRelative(instance.createdAt)}
                </time>
              </td>
              <td className="instance-chevron" aria-hidden="true">
                <IconChevronRight />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
