// Lays a definition out as AWS's console does, top-down in layers, with dagre (a Sugiyama-style layered-graph
// layout). Transitions never leave their scope in the States Language, so each scope is laid out on its own,
// innermost first: a Parallel or Map is then one big node of its parent's layout, with its branches or its
// item processor drawn inside it.
import dagre from "@dagrejs/dagre";
import type { MachineModel } from "./definition.ts";
import { END, scopeEdges, START, stateSubtitle } from "./graph-model.ts";
import type { EdgeKind } from "./graph-model.ts";

export interface Point {
  x: number;
  y: number;
}

export type NodeKind = "state" | "container" | "branch" | "start" | "end";

export interface LaidOutNode {
  id: string;
  kind: NodeKind;
  /** The state it draws (state and container nodes). */
  state?: string;
  type?: string;
  subtitle?: string;
  /** The node it is drawn inside (its position is relative to that node). */
  parent?: string;
  position: Point;
  absolute: Point;
  width: number;
  height: number;
  label?: string;
}

export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label?: string;
  title?: string;
  /** The route, in the canvas's coordinates. */
  points: Point[];
  labelAt?: Point;
}

export interface GraphLayout {
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  width: number;
  height: number;
}

const NODE_HEIGHT = 52;
const HEADER = 40;
const PADDING = 18;
const BRANCH_HEADER = 26;
const BRANCH_GAP = 18;

interface Inner {
  id: string;
  kind: "branch" | "processor";
  label?: string;
  offset: Point;
  width: number;
  height: number;
  layout: ScopeLayout;
}

interface Box {
  id: string;
  kind: NodeKind;
  state?: string;
  type?: string;
  subtitle?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  inner: Inner[];
}

interface ScopeLayout {
  width: number;
  height: number;
  boxes: Box[];
  edges: { id: string; source: string; target: string; kind: EdgeKind; label?: string; title?: string; points: Point[]; labelAt?: Point }[];
}

/** A text width estimate (the canvas is laid out before it is drawn). */
function textWidth(text: string, px = 7.2): number {
  return text.length * px;
}

function layoutScope(model: MachineModel, scopeId: string): ScopeLayout {
  const scope = model.scopes.get(scopeId)!;
  const top = scopeId === model.root;
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 46, edgesep: 14, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  const boxes = new Map<string, Box>();
  const addBox = (box: Box): void => {
    boxes.set(box.id, box);
    graph.setNode(box.id, { width: box.width, height: box.height });
  };
  if (top) {
    addBox({ id: START, kind: "start", x: 0, y: 0, width: 72, height: 30, inner: [] });
    addBox({ id: END, kind: "end", x: 0, y: 0, width: 72, height: 30, inner: [] });
  }
  for (const name of scope.states) {
    const info = model.states.get(name)!;
    const subtitle = stateSubtitle(info.json, info.distributed);
    const minWidth = Math.min(300, Math.max(160, textWidth(name) + 48, textWidth(subtitle, 6.4) + 48));
    if (info.children.length === 0) {
      addBox({ id: name, kind: "state", state: name, type: info.type, subtitle, x: 0, y: 0, width: minWidth, height: NODE_HEIGHT, inner: [] });
      continue;
    }
    const inner: Inner[] = [];
    let x = PADDING;
    let height = 0;
    info.children.forEach((childId, index) => {
      const layout = layoutScope(model, childId);
      const isBranch = info.type === "Parallel";
      const width = layout.width + (isBranch ? 0 : 0);
      const boxHeight = layout.height + (isBranch ? BRANCH_HEADER : 0);
      inner.push({
        id: isBranch ? `${name}#branch${index}` : `${name}#processor`,
        kind: isBranch ? "branch" : "processor",
        ...(isBranch ? { label: `Branch ${index + 1}` } : {}),
        offset: { x, y: HEADER },
        width,
        height: boxHeight,
        layout,
      });
      x += width + BRANCH_GAP;
      height = Math.max(height, boxHeight);
    });
    const width = Math.max(minWidth, x - BRANCH_GAP + PADDING);
    // Center the branches when the header is wider than they are.
    const spare = (width - (x - BRANCH_GAP + PADDING)) / 2;
    for (const i of inner) i.offset.x += spare;
    addBox({ id: name, kind: "container", state: name, type: info.type, subtitle, x: 0, y: 0, width, height: HEADER + height + PADDING, inner });
  }
  const modelEdges = scopeEdges(model, scopeId);
  for (const edge of modelEdges) {
    const label = edge.label ? { width: Math.min(textWidth(edge.label, 6.3) + 14, 280), height: 20, labelpos: "c" } : {};
    // Catch edges bend around rather than pull their target into the main line.
    graph.setEdge(edge.from, edge.to, { ...label, weight: edge.kind === "catch" ? 1 : 2, minlen: 1 }, edge.id);
  }
  dagre.layout(graph);
  for (const box of boxes.values()) {
    const placed = graph.node(box.id);
    box.x = placed.x - box.width / 2;
    box.y = placed.y - box.height / 2;
  }
  const edges = modelEdges.map((edge) => {
    const placed = graph.edge({ v: edge.from, w: edge.to, name: edge.id }) as { points?: Point[]; x?: number; y?: number };
    return {
      id: edge.id,
      source: edge.from,
      target: edge.to,
      kind: edge.kind,
      ...(edge.label !== undefined ? { label: edge.label } : {}),
      ...(edge.title !== undefined ? { title: edge.title } : {}),
      points: placed.points ?? [],
      ...(edge.label !== undefined && placed.x !== undefined && placed.y !== undefined ? { labelAt: { x: placed.x, y: placed.y } } : {}),
    };
  });
  const size = graph.graph();
  return { width: size.width ?? 0, height: size.height ?? 0, boxes: [...boxes.values()], edges };
}

/** Every node and edge of the machine, positioned: nested states inside their Parallel or Map. */
export function layoutMachine(model: MachineModel): GraphLayout {
  const nodes: LaidOutNode[] = [];
  const edges: LaidOutEdge[] = [];
  const place = (layout: ScopeLayout, origin: Point, parentId: string | undefined, offset: Point): void => {
    for (const box of layout.boxes) {
      const position = { x: offset.x + box.x, y: offset.y + box.y };
      const absolute = { x: origin.x + box.x, y: origin.y + box.y };
      nodes.push({
        id: box.id, kind: box.kind,
        ...(box.state !== undefined ? { state: box.state } : {}),
        ...(box.type !== undefined ? { type: box.type } : {}),
        ...(box.subtitle !== undefined ? { subtitle: box.subtitle } : {}),
        ...(parentId !== undefined ? { parent: parentId } : {}),
        position, absolute, width: box.width, height: box.height,
      });
      for (const inner of box.inner) {
        const innerAbsolute = { x: absolute.x + inner.offset.x, y: absolute.y + inner.offset.y };
        if (inner.kind === "branch") {
          nodes.push({
            id: inner.id, kind: "branch", parent: box.id, position: inner.offset, absolute: innerAbsolute,
            width: inner.width, height: inner.height, ...(inner.label !== undefined ? { label: inner.label } : {}),
          });
          place(inner.layout, { x: innerAbsolute.x, y: innerAbsolute.y + BRANCH_HEADER }, inner.id, { x: 0, y: BRANCH_HEADER });
        } else {
          place(inner.layout, innerAbsolute, box.id, inner.offset);
        }
      }
    }
    for (const edge of layout.edges) {
      edges.push({
        ...edge,
        points: edge.points.map((p) => ({ x: origin.x + p.x, y: origin.y + p.y })),
        ...(edge.labelAt ? { labelAt: { x: origin.x + edge.labelAt.x, y: origin.y + edge.labelAt.y } } : {}),
      });
    }
  };
  const root = layoutScope(model, model.root);
  place(root, { x: 0, y: 0 }, undefined, { x: 0, y: 0 });
  return { nodes, edges, width: root.width, height: root.height };
}
