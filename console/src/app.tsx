// The console's frame: a header with the pages and the signing key in use, the page of the current route, and
// the sign-in prompt the API client opens when the server wants signed requests.
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { authInUse, loadServerConfig, onCredentialsRequest } from "./api/client.ts";
import type { ServerConfig } from "./api/client.ts";
import { clearCredentials, loadCredentials } from "./api/credentials.ts";
import { AuthDialog } from "./components/auth-dialog.tsx";
import { ActivitiesPage } from "./pages/activities.tsx";
import { ExecutionPage } from "./pages/execution.tsx";
import { MapRunPage } from "./pages/map-run.tsx";
import { StateMachinePage } from "./pages/state-machine.tsx";
import { StateMachinesPage } from "./pages/state-machines.tsx";
import { TriggersPage } from "./pages/triggers.tsx";
import { href, useRoute } from "./router.ts";
import type { Route } from "./router.ts";

function Page({ route }: { route: Route }): ReactNode {
  switch (route.page) {
    case "stateMachines": return <StateMachinesPage />;
    case "stateMachine": return <StateMachinePage key={route.arn} arn={route.arn} tab={route.tab} />;
    case "execution": return <ExecutionPage key={route.arn} arn={route.arn} tab={route.tab} />;
    case "mapRun": return <MapRunPage key={route.arn} arn={route.arn} />;
    case "activities": return <ActivitiesPage />;
    case "triggers": return <TriggersPage />;
    case "notFound":
      return (
        <main id="main" className="page">
          <h1>Page not found</h1>
          <p>Nothing is at <code>{route.path}</code>. <a href={href.stateMachines()}>See the state machines</a>.</p>
        </main>
      );
  }
}

function titleOf(route: Route): string {
  switch (route.page) {
    case "stateMachines": return "State machines";
    case "stateMachine": return route.arn.split(":").pop() ?? "State machine";
    case "execution": return `Execution ${route.arn.split(":").pop() ?? ""}`;
    case "mapRun": return "Map Run";
    case "activities": return "Activities";
    case "triggers": return "Triggers";
    case "notFound": return "Not found";
  }
}

function KeyInUse(): ReactNode {
  const [, rerender] = useState(0);
  // Shown once a key is entered (the prompt's end is announced to its listeners).
  useEffect(() => onCredentialsRequest(() => rerender((n) => n + 1)), []);
  const credentials = loadCredentials();
  if (!authInUse() || !credentials) return null;
  return (
    <span className="key-in-use">
      Signed as <code>{credentials.accessKeyId}</code>{" "}
      <button type="button" className="button tiny" onClick={() => { clearCredentials(); rerender((n) => n + 1); window.location.reload(); }}>Sign out</button>
    </span>
  );
}

export function App(): ReactNode {
  const route = useRoute();
  useEffect(() => {
    document.title = `${titleOf(route)} · Stepwright`;
  }, [route]);
  const section = route.page === "activities" ? "activities" : route.page === "triggers" ? "triggers" : "machines";
  const [config, setConfig] = useState<ServerConfig>();
  useEffect(() => {
    void loadServerConfig().then(setConfig);
  }, []);
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
          e.preventDefault();
          const main = document.getElementById("main");
          main?.setAttribute("tabindex", "-1");
          main?.focus();
        }}>Skip to content</a>
      <header className="topbar">
        <a className="brand" href={href.stateMachines()}>
          <img src="./favicon.svg" alt="" width="22" height="22" />
          Stepwright
        </a>
        <nav aria-label="Sections">
          <a href={href.stateMachines()} aria-current={section === "machines" ? "page" : undefined}>State machines</a>
          <a href={href.activities()} aria-current={section === "activities" ? "page" : undefined}>Activities</a>
          <a href={href.triggers()} aria-current={section === "triggers" ? "page" : undefined}>Triggers</a>
        </nav>
        <span className="topbar-info muted">{config ? `${config.signingRegion}${config.accountId ? ` · ${config.accountId}` : ""}` : ""}</span>
        <KeyInUse />
      </header>
      <Page route={route} />
      <AuthDialog />
    </>
  );
}
