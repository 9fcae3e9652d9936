import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApi } from '../auth/AuthContext';
import { CallFilterForm, DepartmentOption } from '../calls/CallFilterForm';
import { CallsTable } from '../calls/CallsTable';
import { apiQueryOf, CallFilters, fieldErrorsOf, filtersOf, hasFilters, searchParamsOf } from '../calls/filters';
import { Paging } from '../calls/Paging';
import type { CallList } from '../calls/types';
import { Empty, ErrorState, Loading } from '../components/States';
import { useResource } from '../components/useResource';
import '../calls/calls.css';

export function CallsPage() {
  const api = useApi();
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = filtersOf(searchParams);

  const calls = useResource(() => api.get<CallList>('/calls', apiQueryOf(filtersOf(new URLSearchParams(search)))), [api, search]);
  const departments = useResource(() => api.get<DepartmentOption[]>('/agents'), [api]);
  // The page shown before a new one loads stays (dimmed), so paging does not make the table jump.
  const ready = calls.status === 'ready' ? calls.data : undefined;
  const [shown, setShown] = useState<CallList>();
  useEffect(() => {
    if (ready) setShown(ready);
  }, [ready]);

  const go = (next: CallFilters) => setSearchParams(searchParamsOf(next));
  const busy = calls.status === 'loading';
  const fieldErrors = calls.status === 'error' ? fieldErrorsOf(calls.error) : {};
  const data = ready ?? (busy ? shown : undefined);

  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls</h1>
      <p className="muted">
        Finished calls, newest first. Filters are kept in this page&apos;s address, so a filtered view can be bookmarked.
      </p>
      <CallFilterForm
        filters={filters}
        departments={departments.status === 'ready' ? departments.data.map(({ key, displayName }) => ({ key, displayName })) : undefined}
        fieldErrors={fieldErrors}
        onApply={(applied) => go({ ...applied, page: 1, pageSize: filters.pageSize })}
        onClear={() => setSearchParams(new URLSearchParams())}
      />
      {calls.status === 'error' ? (
        <ErrorState error={calls.error} retry={calls.reload} />
      ) : data === undefined ? (
        <Loading what="calls" />
      ) : data.items.length === 0 ? (
        <NoCalls
          filtered={hasFilters(filters)}
          pastTheEnd={data.total > 0}
          onClear={() => setSearchParams(new URLSearchParams())}
          onFirstPage={() => go({ ...filters, page: 1 })}
        />
      ) : (
        <>
          <CallsTable calls={data.items} listSearch={search} busy={busy} />
          <Paging
            page={data.page}
            pageSize={data.pageSize}
            shown={data.items.length}
            total={data.total}
            onPage={(page) => go({ ...filters, page })}
            onPageSize={(pageSize) => go({ ...filters, page: 1, pageSize })}
          />
        </>
      )}
    </section>
  );
}

function NoCalls({
  filtered,
  pastTheEnd,
  onClear,
  onFirstPage,
}: {
  filtered: boolean;
  pastTheEnd: boolean;
  onClear(): void;
  onFirstPage(): void;
}) {
  if (pastTheEnd)
    return (
      <div className="state empty calls-empty">
        <p>This page is past the last call.</p>
        <button type="button" className="secondary" onClick={onFirstPage}>
          Go to the first page
        </button>
      </div>
    );
  if (filtered)
    return (
      <div className="state empty calls-empty">
        <p>No calls match these filters.</p>
        <button type="button" className="secondary" onClick={onClear}>
          Clear filters
        </button>
      </div>
    );
  return <Empty>No calls yet. A call appears here once it has ended and its summary is written.</Empty>;
}
