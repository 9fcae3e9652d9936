import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Empty } from '../components/States';
import { formatBucket, formatCount, formatDateTime, formatDuration } from './format';
import { CallsOverTime, DepartmentHandleTime } from './stats.types';

const ACCENT = '#1f5fbf';
const BAD = '#b3261e';
const GRID = '#d9dee8';
const TICK = { fill: '#5b6478', fontSize: 12 };

export function HandleTimeChart({ departments }: { departments: readonly DepartmentHandleTime[] }) {
  if (departments.length === 0) return <Empty>No time spent in any department in this range.</Empty>;
  // Seconds while every department is under two minutes, else minutes: ticks people read at a glance.
  const inMinutes = departments.some((row) => row.averageSeconds >= 120);
  const data = departments.map((row) => ({
    department: row.department,
    average: Math.round((inMinutes ? row.averageSeconds / 60 : row.averageSeconds) * 10) / 10,
  }));
  return (
    <div className="flow-split">
      <figure className="flow-chart" aria-label="Average handle time per department, bar chart; the table beside it lists the same figures">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 10, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="department" tick={TICK} />
            <YAxis tick={TICK} unit={inMinutes ? ' min' : ' s'} width={64} allowDecimals />
            <Tooltip formatter={(value) => [formatDuration(Number(value) * (inMinutes ? 60 : 1)), 'Average']} />
            <Bar
              dataKey="average"
              name="Average handle time"
              fill={ACCENT}
              radius={[4, 4, 0, 0]}
              maxBarSize={56}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <table>
        <caption>Average time in each department</caption>
        <thead>
          <tr>
            <th scope="col">Department</th>
            <th scope="col" className="number">
              Average
            </th>
            <th scope="col" className="number">
              Calls
            </th>
          </tr>
        </thead>
        <tbody>
          {departments.map((row) => (
            <tr key={row.department}>
              <th scope="row">{row.department}</th>
              <td className="number">{formatDuration(row.averageSeconds)}</td>
              <td className="number">{formatCount(row.calls)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CallsOverTimeChart({ series }: { series: CallsOverTime | undefined }) {
  if (!series) return <Empty>Calls over time is not available from this service yet.</Empty>;
  if (series.points.length === 0) return <Empty>No time buckets in this range.</Empty>;
  const first = new Date(series.points[0].start);
  const last = new Date(series.points[series.points.length - 1].start);
  const spansDays = first.toDateString() !== last.toDateString();
  const data = series.points.map((point) => ({ ...point, label: formatBucket(point.start, series.bucket, spansDays) }));
  const unit = series.bucket === 'hour' ? 'hour' : 'day';
  return (
    <>
      <figure
        className="flow-chart"
        aria-label={`Calls and escalated calls per ${unit}, bar chart; the table below lists the same figures`}
      >
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 10, right: 16, bottom: 0, left: 0 }} barGap={1}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="label" tick={TICK} minTickGap={24} />
            <YAxis tick={TICK} allowDecimals={false} width={40} />
            <Tooltip />
            <Legend />
            <Bar dataKey="calls" name="Calls" fill={ACCENT} isAnimationActive={false} />
            <Bar dataKey="escalated" name="Escalated" fill={BAD} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <details className="flow-details">
        <summary>Calls per {unit} as a table</summary>
        <div className="table-scroll tall">
          <table>
            <caption>Calls and escalated calls per {unit}</caption>
            <thead>
              <tr>
                <th scope="col">{unit === 'hour' ? 'Hour starting' : 'Day'}</th>
                <th scope="col" className="number">
                  Calls
                </th>
                <th scope="col" className="number">
                  Escalated
                </th>
              </tr>
            </thead>
            <tbody>
              {series.points.map((point) => (
                <tr key={point.start}>
                  <th scope="row">{formatDateTime(point.start)}</th>
                  <td className="number">{formatCount(point.calls)}</td>
                  <td className="number">{formatCount(point.escalated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
