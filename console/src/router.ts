// The console's pages live in the URL's fragment (#/executions/<arn>), so the server serves one page for all
// of them and a link to any page can be shared.
import { useEffect, useState } from "react";

export type Route =
  | { page: "stateMachines" }
  | { page: "stateMachine"; arn: string; tab?: string }
  | { page: "execution"; arn: string; tab?: string }
  | { page: "mapRun"; arn: string }
  | { page: "activities" }
  | { page: "triggers" }
  | { page: "notFound"; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  const [, first = "", second, third] = path.split("/");
  const arn = second !== undefined ? decodeURIComponent(second) : "";
  const tab = third !== undefined ? decodeURIComponent(third) : undefined;
  switch (first) {
    case "":
    case "state-machines":
      return second ? { page: "stateMachine", arn, ...(tab ? { tab } : {}) } : { page: "stateMachines" };
    case "executions":
      return second ? { page: "execution", arn, ...(tab ? { tab } : {}) } : { page: "notFound", path };
    case "map-runs":
      return second ? { page: "mapRun", arn } : { page: "notFound", path };
    case "activities":
      return { page: "activities" };
    case "triggers":
      return { page: "triggers" };
    default:
      return { page: "notFound", path };
  }
}

export const href = {
  stateMachines: (): string => "#/state-machines",
  stateMachine: (arn: string, tab?: string): string => `#/state-machines/${encodeURIComponent(arn)}${tab ? `/${tab}` : ""}`,
  execution: (arn: string, tab?: string): string => `#/executions/${encodeURIComponent(arn)}${tab ? `/${tab}` : ""}`,
  mapRun: (arn: string): string => `#/map-runs/${encodeURIComponent(arn)}`,
  activities: (): string => "#/activities",
  triggers: (): string => "#/triggers",
};

export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, "", to);
  else window.location.hash = to;
  if (replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
