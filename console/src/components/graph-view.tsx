// The machine's graph on a canvas you can zoom, pan and fit (@xyflow/react), laid out by model/layout.ts.
// Each state is a focusable node: click it, or Tab to it and press Enter, to open its step details.
import {
  Background, BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, MiniMap, Position, ReactFlow,
} from "@xyflow/react";
import type { Edge, EdgeProps, Node, NodeProps, ReactFlowInstance } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useEffect, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import { STATUS_LABELS } from "../model/history.ts";
import type { NodeStatus } from "../model/history.ts";
import type { GraphLayout, LaidOutEdge, LaidOutNode, Point } from "../model/layout.ts";
import { StatusIcon } from "./common.tsx";

interface NodeData extends Record<string, unknown> {
  node: LaidOutNode;
  status?: NodeStatus;
  selected: boolean;
}
interface EdgeData extends Record<string, unknown> {
  edge: LaidOutEdge;
}
type GraphNode = Node<NodeData>;
type GraphEdge = Edge<EdgeData>;

function Handles(): ReactNode {
  return (
    <>
      <Handle type="target" position={Position.Top} className="hidden-handle" isConnectable={false} />
      <Handle type="source" position={Position.Bottom} className="hidden-handle" isConnectable={false} />
    </>
  );
}

function describe(node: LaidOutNode, status: NodeStatus | undefined): string {
  return `${node.state ?? ""}, ${node.subtitle ?? node.type ?? ""}${status ? `, ${STATUS_LABELS[status]}` : ""}`;
}

const StateNode = memo(function StateNode({ data }: NodeProps<GraphNode>): ReactNode {
  const { node, status } = data;
  return (
    <div className={`graph-node status-${status ?? "none"}${data.selected ? " chosen" : ""}`} data-state={node.state} data-status={status} title={describe(node, status)}>
      <Handles />
      <div className="graph-node-name">{status && <StatusIcon tone={status} />}<span>{node.state}</span></div>
      <div className="graph-node-type">{node.subtitle}</div>
    </div>
  );
});

const ContainerNode = memo(function ContainerNode({ data }: NodeProps<GraphNode>): ReactNode {
  const { node, status } = data;
  const distributed = node.subtitle === "Distributed Map";
  return (
    <div
      className={`graph-container type-${(node.type ?? "").toLowerCase()} status-${status ?? "none"}${data.selected ? " chosen" : ""}${distributed ? " distributed" : ""}`}
      data-state={node.state}
      data-status={status}
      title={describe(node, status)}
    >
      <Handles />
      <div className="graph-container-head">
        {status && <StatusIcon tone={status} />}
        <span className="graph-node-name-text">{node.state}</span>
        <span className="graph-container-type">{node.subtitle}</span>
      </div>
    </div>
  );
});

const BranchNode = memo(function BranchNode({ data }: NodeProps<GraphNode>): ReactNode {
  return <div className="graph-branch"><span>{data.node.label}</span></div>;
});

const TerminalNode = memo(function TerminalNode({ data }: NodeProps<GraphNode>): ReactNode {
  return (
    <div className={`graph-terminal ${data.node.kind}`}>
      <Handles />
      {data.node.kind === "start" ? "Start" : "End"}
    </div>
  );
});

/** A path through dagre's route, its corners rounded by quadratic curves. */
function routePath(points: Point[]): string {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  let d = `M ${first!.x} ${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    d += ` Q ${p.x} ${p.y} ${(p.x + q.x) / 2} ${(p.y + q.y) / 2}`;
  }
  const last = rest[rest.length - 1];
  if (last) d += ` L ${last.x} ${last.y}`;
  return d;
}

const RoutedEdge = memo(function RoutedEdge({ id, data, markerEnd }: EdgeProps<GraphEdge>): ReactNode {
  if (!data) return null;
  const { edge } = data;
  return (
    <>
      <BaseEdge id={id} path={routePath(edge.points)} className={`edge-${edge.kind}`} {...(markerEnd !== undefined ? { markerEnd } : {})} />
      {edge.label && edge.labelAt && (
        <EdgeLabelRenderer>
          <div
            className={`edge-label edge-label-${edge.kind}`}
            style={{ transform: `translate(-50%, -50%) translate(${edge.labelAt.x}px, ${edge.labelAt.y}px)` }}
            title={edge.title ?? edge.label}
          >
            {edge.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

const NODE_TYPES = { state: StateNode, container: ContainerNode, branch: BranchNode, start: TerminalNode, end: TerminalNode };
const EDGE_TYPES = { routed: RoutedEdge };
const FIT = { padding: 0.08, maxZoom: 1.1 };
/** Below this zoom, names are not legible: a big graph opens at its Start, readable, instead of all at once. */
const LEGIBLE_ZOOM = 0.45;

function showInitially(flow: ReactFlowInstance<GraphNode, GraphEdge>, box: HTMLElement, layout: GraphLayout): void {
  const fits = Math.min(box.clientWidth / (layout.width + 40), box.clientHeight / (layout.height + 40));
  if (fits >= LEGIBLE_ZOOM) {
    void flow.fitView(FIT);
    return;
  }
  const zoom = 0.8;
  const start = layout.nodes.find((n) => n.kind === "start") ?? layout.nodes[0];
  const x = start ? start.absolute.x + start.width / 2 : layout.width / 2;
  const y = start ? start.absolute.y : 0;
  void flow.setViewport({ x: box.clientWidth / 2 - x * zoom, y: 24 - y * zoom, zoom });
}
const MARKER_COLORS: Record<string, string> = { next: "var(--edge)", choice: "var(--edge)", default: "var(--edge-muted)", catch: "var(--edge-catch)" };

export interface GraphViewProps {
  layout: GraphLayout;
  statuses?: ReadonlyMap<string, NodeStatus>;
  selected?: string | undefined;
  onSelect?: (state: string) => void;
  label: string;
}

export function GraphView({ layout, statuses, selected, onSelect, label }: GraphViewProps): ReactNode {
  const nodes = useMemo<GraphNode[]>(
    () =>
      layout.nodes.map((node) => {
        const status = node.state !== undefined ? statuses?.get(node.state) : undefined;
        const focusable = node.kind === "state" || node.kind === "container";
        return {
          id: node.id,
          type: node.kind,
          position: node.position,
          ...(node.parent !== undefined ? { parentId: node.parent } : {}),
          width: node.width,
          height: node.height,
          style: { width: node.width, height: node.height },
          data: { node, ...(status !== undefined ? { status } : {}), selected: node.state !== undefined && node.state === selected },
          draggable: false,
          connectable: false,
          selectable: focusable,
          focusable,
          ...(focusable ? { ariaLabel: `State ${describe(node, status)}` } : {}),
          zIndex: node.kind === "branch" || node.kind === "container" ? 0 : 1,
        };
      }),
    [layout, statuses, selected],
  );
  const edges = useMemo<GraphEdge[]>(
    () =>
      layout.edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: "routed",
        data: { edge },
        markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: MARKER_COLORS[edge.kind] ?? "var(--edge)" },
        selectable: false,
        focusable: false,
        zIndex: 1,
      })),
    [layout],
  );
  const big = layout.nodes.length > 40;
  // Fit the graph again when its box changes size (the step details open beside it, the window is resized).
  const box = useRef<HTMLDivElement>(null);
  const flow = useRef<ReactFlowInstance<GraphNode, GraphEdge> | undefined>(undefined);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let width = element.clientWidth;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      if (Math.abs(element.clientWidth - width) < 8) return;
      width = element.clientWidth;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => flow.current && showInitially(flow.current, element, layout));
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [layout]);
  return (
    <div className="graph-canvas" role="region" aria-label={label} ref={box}>
      <ReactFlow<GraphNode, GraphEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        edgeTypes={EDGE_TYPES}
        onInit={(instance) => {
          flow.current = instance;
          if (box.current) showInitially(instance, box.current, layout);
        }}
        // Low enough for "Fit View" to show even a 500-state machine whole.
        minZoom={Math.min(0.05, 400 / Math.max(layout.height, layout.width, 1))}
        maxZoom={2.5}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        onlyRenderVisibleElements={big}
        colorMode="system"
        zoomOnDoubleClick={false}
        onNodeClick={(_, node) => node.data.node.state !== undefined && onSelect?.(node.data.node.state)}
        onSelectionChange={({ nodes: chosen }) => {
          const state = chosen.length === 1 ? chosen[0]!.data.node.state : undefined;
          if (state !== undefined && state !== selected) onSelect?.(state);
        }}
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} position="top-left" />
        {big && <MiniMap pannable zoomable position="bottom-right" ariaLabel="Overview of the graph" />}
      </ReactFlow>
    </div>
  );
}

/** The colours' meaning, under an execution's graph. */
export function StatusLegend(): ReactNode {
  const shown: NodeStatus[] = ["running", "succeeded", "failed", "caught", "aborted", "notReached"];
  return (
    <ul className="legend" aria-label="Legend">
      {shown.map((status) => (
        <li key={status} className={`legend-item status-${status}`}><span className="legend-swatch"><StatusIcon tone={status} /></span>{STATUS_LABELS[status]}</li>
      ))}
    </ul>
  );
}
