import type { ReactNode } from "react";
import { Link } from "wouter";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { IconArrowLeft, IconCloud, IconGauge, IconMonitor, IconRocket } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { useSession } from "../auth/session";

function Step({ number, icon, title, children }: { number: number; icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <li className="card step">
      <div className="step-marker" aria-hidden="true">
        {icon}
      </div>
      <div className="step-body">
        <p className="step-eyebrow">Step {number}</p>
        <h2 className="step-title">{title}</h2>
        {children}
      </div>
    </li>
  );
}

export default function DeployPage() {
  useDocumentTitle("Deploy your assistant");
  const { user } = useSession();

  return (
    <>
      <PageHeader
        title="Deploy your assistant"
        description="Three steps from here to your own OpenClaw assistant. This is what the deploy wizard will ask you."
      />
      <div className="notice notice-info" role="note">
        <IconRocket className="notice-icon" />
        <p>
          <strong>The deploy wizard arrives with the next release.</strong> Nothing is created or billed from this page yet.
        </p>
      </div>
      <ol className="steps">
        <Step number={1} icon={<IconMonitor />} title="Choose where it runs">
          <div className="choice-grid">
            <div className="choice">
              <IconMonitor className="choice-icon" />
              <div>
                <h3 className="choice-title">This machine (local)</h3>
                <p className="choice-text">Runs next to Claw Cloud itself. No cloud account needed: the quickest way to try it.</p>
              </div>
            </div>
            <div className="choice">
              <IconCloud className="choice-icon" />
              <div>
                <h3 className="choice-title">A cloud account</h3>
                <p className="choice-text">
                  A new server in your DigitalOcean, Hetzner, Vultr or AWS account. You pay your provider directly.
                  {user.emailVerified ? null : " Needs a verified e-mail."}
                </p>
              </div>
            </div>
          </div>
        </Step>
        <Step number={2} icon={<IconGauge />} title="Choose a size">
          <p className="step-text">
            OpenClaw needs at least 2 GB of memory; 4 GB is recommended. You'll see each size's monthly price from your provider before you
            confirm.
          </p>
        </Step>
        <Step number={3} icon={<IconRocket />} title="Deploy">
          <p className="step-text">
            Claw Cloud creates the server, installs and hardens OpenClaw, and shows progress as it goes. No inbound port is opened and we
            keep no key to your machine. When it's ready, you chat with your assistant right here.
          </p>
        </Step>
      </ol>
      <div className="page-footer-actions">
        <Link href="/instances" className="btn btn-secondary">
          <IconArrowLeft /> Back to instances
        </Link>
        <Link href="/cloud-accounts" className="btn btn-ghost">
          About cloud accounts
        </Link>
      </div>
    </>
  );
}
