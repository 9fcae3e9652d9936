import { ResponsiveContainer, Sankey, Tooltip } from 'recharts';
import type { SankeyNodeProps } from 'recharts';
import { Empty } from '../components/States';
import { formatCount } from './format';
import { HandoffCount } from './stats.types';

const NODE_COLOR = '#1f5fbf';
const LINK_COLOR = '#1f5fbf';
const LABEL_COLOR = '#1d2433';

interface FlowNodeDatum {
  name: string;
  side: 'from' | 'to';
}

/**
 * Handing-off departments on the left, receiving ones on the right: a department appears on both
 * sides, so triage -> refund -> triage never makes a cycle (which a Sankey layout cannot draw).
 */
export function sankeyDataOf(matrix: readonly HandoffCount[]) {
  const sources = [...new Set(matrix.map((cell) => cell.from))].sort();
  const targets = [...new Set(matrix.map((cell) => cell.to))].sort();
  const nodes: FlowNodeDatum[] = [
    ...sources.map((name) => ({ name, side: 'from' as const })),
    ...targets.map((name) => ({ name, side: 'to' as const })),
  ];
  const links = matrix
    .filter((cell) => cell.count > 0)
    .map((cell) => ({ source: sources.indexOf(cell.from), target: sources.length + targets.indexOf(cell.to), value: cell.count }));
  return { nodes, links };
}

function FlowNode({ x, y, width, height, payload }: SankeyNodeProps) {
  const node = payload as unknown as FlowNodeDatum & { value: number };
  const outgoing = node.side === 'from';
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill={NODE_COLOR} rx={2} />
      <text
        x={outgoing ? x - 8 : x + width + 8}
        y={y + height / 2}
        textAnchor={outgoing ? 'end' : 'start'}
        dominantBaseline="middle"
        fontSize={13}
        fill={LABEL_COLOR}
      >
        {node.name} ({formatCount(node.value)})
      </text>
    </g>
  );
}

/** The Sankey diagram; the matrix table beside it says the same in text. */
export function HandoffSankey({ matrix }: { matrix: readonly HandoffCount[] }) {
  const data = sankeyDataOf(matrix);
  const height = Math.max(220, Math.max(data.nodes.filter((node) => node.side === 'from').length, 2) * 60);
  return (
    <figure className="flow-chart" aria-label="Handoff flow diagram; the table below lists the same handoffs">
      <div className="flow-sankey-sides" aria-hidden="true">
        <span>Handed off by</span>
        <span>Received by</span>
      </div>
      <ResponsiveContainer width="100%" height={height}>
        <Sankey
          data={data}
          node={FlowNode}
          link={{ stroke: LINK_COLOR, strokeOpacity: 0.25 }}
          nodePadding={28}
          nodeWidth={12}
          margin={{ top: 10, right: 170, bottom: 10, left: 170 }}
          sort={false}
        >
          <Tooltip />
        </Sankey>
      </ResponsiveContainer>
    </figure>
  );
}

/** Rows hand off, columns receive; every department either side gets a row and a column. */
export function HandoffMatrixTable({ matrix }: { matrix: readonly HandoffCount[] }) {
  const departments = [...new Set(matrix.flatMap((cell) => [cell.from, cell.to]))].sort();
  const countOf = (from: string, to: string) => matrix.find((cell) => cell.from === from && cell.to === to)?.count ?? 0;
  const outOf = (from: string) => matrix.filter((cell) => cell.from === from).reduce((sum, cell) => sum + cell.count, 0);
  const intoOf = (to: string) => matrix.filter((cell) => cell.to === to).reduce((sum, cell) => sum + cell.count, 0);
  const total = matrix.reduce((sum, cell) => sum + cell.count, 0);
  return (
    <div className="table-scroll">
      <table className="flow-matrix" aria-describedby="handoff-matrix-hint">
        <caption>Handoffs between departments</caption>
        <thead>
          <tr>
            <th scope="col">From \ to</th>
            {departments.map((to) => (
              <th scope="col" key={to}>
                {to}
              </th>
            ))}
            <th scope="col">Handed off</th>
          </tr>
        </thead>
        <tbody>
          {departments.map((from) => (
            <tr key={from}>
              <th scope="row">{from}</th>
              {departments.map((to) => {
                const count = countOf(from, to);
                return (
                  <td key={to} className={count === 0 ? 'number zero' : 'number'} data-testid={`handoffs-${from}-${to}`}>
                    {from === to ? <span aria-label="not applicable">—</span> : formatCount(count)}
                  </td>
                );
              })}
              <td className="number total">{formatCount(outOf(from))}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Received</th>
            {departments.map((to) => (
              <td key={to} className="number total">
                {formatCount(intoOf(to))}
              </td>
            ))}
            <td className="number total">{formatCount(total)}</td>
          </tr>
        </tfoot>
      </table>
      <p id="handoff-matrix-hint" className="muted small">
        Each row is the department that handed the call off, each column the department that received it. Only applied handoffs count.
      </p>
    </div>
  );
}

export function HandoffFlow({ matrix }: { matrix: readonly HandoffCount[] }) {
  if (matrix.length === 0) return <Empty>No handoffs between departments in this range: every call stayed where it started.</Empty>;
  return (
    <>
      <HandoffSankey matrix={matrix} />
      <HandoffMatrixTable matrix={matrix} />
    </>
  );
}
