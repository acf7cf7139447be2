import { QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { Route, Switch } from "wouter";
import { GuestOnly, RequireSession, RootRedirect } from "../features/auth/guards";
import { AppShell } from "../shell/AppShell";
import { FullPageLoading } from "./FullPage";
import { createQueryClient } from "./queryClient";

// Pages load on demand; the shell, router and data layer are in the first bundle.
const SignInPage = lazy(() => import("../features/auth/SignInPage"));
const SignUpPage = lazy(() => import("../features/auth/SignUpPage"));
const ForgotPasswordPage = lazy(() => import("../features/auth/ForgotPasswordPage"));
const ResetPasswordPage = lazy(() => import("../features/auth/ResetPasswordPage"));
const InstancesPage = lazy(() => import("../features/instances/InstancesPage"));
const InstancePage = lazy(() => import("../features/instances/InstancePage"));
const ChatPage = lazy(() => import("../features/chat/ChatPage"));
const DeployPage = lazy(() => import("../features/deploy/DeployPage"));
const CloudAccountsPage = lazy(() => import("../features/cloud-accounts/CloudAccountsPage"));
const AddCloudAccountPage = lazy(() => import("../features/cloud-accounts/AddCloudAccountPage"));
const CloudAccountPage = lazy(() => import("../features/cloud-accounts/CloudAccountPage"));
const SettingsPage = lazy(() => import("../features/settings/SettingsPage"));
const ActivityPage = lazy(() => import("../features/activity/ActivityPage"));
const RolloutsPage = lazy(() => import("../features/updates/RolloutsPage"));
const NotFoundPage = lazy(() => import("./NotFoundPage"));

function AppRoutes() {
  return (
    <RequireSession>
      <AppShell>
        <Switch>
          <Route path="/instances" component={InstancesPage} />
          <Route path="/instances/:id" component={InstancePage} />
          <Route path="/instances/:id/chat" component={ChatPage} />
          <Route path="/deploy" component={DeployPage} />
          <Route path="/cloud-accounts" component={CloudAccountsPage} />
          <Route path="/cloud-accounts/new" component={AddCloudAccountPage} />
          <Route path="/cloud-accounts/:id" component={CloudAccountPage} />
          <Route path="/activity" component={ActivityPage} />
          <Route path="/settings" component={SettingsPage} />
          <Route path="/admin/rollouts" component={RolloutsPage} />
          <Route component={NotFoundPage} />
        </Switch>
      </AppShell>
    </RequireSession>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <Suspense fallback={<FullPageLoading />}>
        <Switch>
          <Route path="/">
            <RootRedirect />
          </Route>
          <Route path="/sign-in">
            <GuestOnly>
              <SignInPage />
            </GuestOnly>
          </Route>
          <Route path="/sign-up">
            <GuestOnly>
              <SignUpPage />
            </GuestOnly>
          </Route>
          <Route path="/forgot-password" component={ForgotPasswordPage} />
          <Route path="/reset-password" component={ResetPasswordPage} />
          <Route component={AppRoutes} />
        </Switch>
      </Suspense>
    </QueryClientProvider>
  );
}
