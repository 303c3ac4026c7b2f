// A definition as text with line numbers, in JSON as stored or converted to YAML.
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { CodeBlock, CopyButton } from "./common.tsx";

export function DefinitionView({ definition }: { definition: string }): ReactNode {
  const [format, setFormat] = useState<"json" | "yaml">("json");
  const [yaml, setYaml] = useState<string>();
  const json = (() => {
    try {
      return JSON.stringify(JSON.parse(definition), null, 2);
    } catch {
      return definition;
    }
  })();
  useEffect(() => {
    if (format !== "yaml" || yaml !== undefined) return;
    // The YAML library is loaded only when YAML is asked for.
    void import("yaml").then(({ stringify }) => {
      try {
        setYaml(stringify(JSON.parse(definition), { lineWidth: 0 }));
      } catch {
        setYaml(definition);
      }
    });
  }, [format, yaml, definition]);
  const text = format === "json" ? json : yaml ?? "Converting…";
  return (
    <div className="definition-view">
      <div className="toolbar">
        <div role="group" aria-label="Format" className="segmented">
          <button type="button" aria-pressed={format === "json"} className={format === "json" ? "active" : ""} onClick={() => setFormat("json")}>JSON</button>
          <button type="button" aria-pressed={format === "yaml"} className={format === "yaml" ? "active" : ""} onClick={() => setFormat("yaml")}>YAML</button>
        </div>
        <CopyButton text={text} label="Copy" className="button tiny" />
      </div>
      <CodeBlock text={text} label={`Definition (${format.toUpperCase()})`} />
    </div>
  );
}
