/** The departments a call went through, in order: "triage → refund". */
export function DepartmentsPath({ departments }: { departments: string[] }) {
  if (departments.length === 0) return <span className="muted">—</span>;
  return (
    <ol className="departments-path" aria-label="Departments in order">
      {departments.map((department, index) => (
        <li key={`${department}-${index}`}>{department}</li>
      ))}
    </ol>
  );
}
