import { errorMessage } from "../../lib/api";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { ThemeSwitcher } from "../../shell/ThemeSwitcher";
import { IconLogOut } from "../../ui/icons";
import { PageHeader } from "../../ui/PageHeader";
import { Spinner } from "../../ui/Spinner";
import { useSession, useSignOut } from "../auth/session";
import { AlertsSection } from "./AlertsSection";
import { ApiTokensSection } from "./ApiTokensSection";
import { EmailSection } from "./EmailSection";
import { PasswordSection } from "./PasswordSection";
import { ProfileSection } from "./ProfileSection";
import { Section } from "./Section";

function WorkspaceSection() {
  const { workspace, workspaces } = useSession();
  return (
    <Section id="settings-workspace" title="Workspace" description="Instances and cloud accounts belong to a workspace.">
      <dl className="details">
        <div>
          <dt>Name</dt>
          <dd data-testid="workspace-name">{workspace.name}</dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd className="capitalize">{workspace.role}</dd>
        </div>
        {workspaces.length > 1 ? (
          <div>
            <dt>Other workspaces</dt>
            <dd>
              {workspaces
                .filter((w) => w.id !== workspace.id)
                .map((w) => w.name)
                .join(", ")}
            </dd>
          </div>
        ) : null}
      </dl>
    </Section>
  );
}

function SignOutSection() {
  const signOut = useSignOut();
  return (
    <Section id="settings-session" title="Sign out" description="Sign out of Claw Cloud on this device.">
      <div className="form-actions">
        <button type="button" className="btn btn-secondary" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          {signOut.isPending ? <Spinner /> : <IconLogOut />} Sign out
        </button>
        <span className="field-error" role="alert">
          {signOut.isError ? errorMessage(signOut.error) : null}
        </span>
      </div>
    </Section>
  );
}

export default function SettingsPage() {
  useDocumentTitle("Settings");
  return (
    <>
      <PageHeader title="Settings" description="Your account, alerts, your workspace and how Claw Cloud looks." />
      <div className="settings">
        <ProfileSection />
        <EmailSection />
        <PasswordSection />
        <AlertsSection />
        <WorkspaceSection />
        <ApiTokensSection />
        <Section id="settings-appearance" title="Appearance" description="System follows your device's light or dark setting.">
          <ThemeSwitcher legend="Theme" showLegend={false} />
        </Section>
        <SignOutSection />
      </div>
    </>
  );
}
