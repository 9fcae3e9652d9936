import { PAGE_SIZES, rangeLabel } from './filters';

interface Props {
  page: number;
  pageSize: number;
  shown: number;
  total: number;
  onPage(page: number): void;
  onPageSize(pageSize: number): void;
}

/** Previous and next, "26–50 of 120", and how many a page holds. */
export function Paging({ page, pageSize, shown, total, onPage, onPageSize }: Props) {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const sizes: number[] = PAGE_SIZES.includes(pageSize as (typeof PAGE_SIZES)[number])
    ? [...PAGE_SIZES]
    : [...PAGE_SIZES, pageSize].sort((a, b) => a - b);
  return (
    <nav className="calls-paging" aria-label="Pages of calls">
      <button type="button" className="secondary" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        <span aria-hidden="true">←</span> Previous
      </button>
      <span className="calls-range-label" aria-live="polite" data-testid="calls-range">
        {rangeLabel(page, pageSize, shown, total)}
      </span>
      <button type="button" className="secondary" onClick={() => onPage(page + 1)} disabled={page >= lastPage}>
        Next <span aria-hidden="true">→</span>
      </button>
      <span className="calls-page-size">
        <label htmlFor="calls-page-size">Per page</label>
        <select id="calls-page-size" value={pageSize} onChange={(event) => onPageSize(Number(event.target.value))}>
          {sizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </span>
    </nav>
  );
}
