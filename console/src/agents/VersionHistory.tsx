import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { useApi } from '../auth/AuthContext';
import { Empty, ErrorState, Loading } from '../components/States';
import { useResource } from '../components/useResource';
import { AgentConfigVersion } from './agent.types';
import { listVersions } from './agentsApi';
import { agentName, Catalogs } from './catalog';
import { ConfigDiff } from './ConfigDiff';
import { formatTimestamp } from './formatWhen';

const PAGE_SIZE = 50;

interface VersionHistoryProps {
  agentKey: string;
  /** The newest version known: the history reloads when it changes. */
  currentVersion: number;
  catalogs: Catalogs;
  /** Admins only: a rollback, rejected with the reason it failed. Absent: no rollback controls at all. */
  onRollback?: (version: number) => Promise<void>;
  /** Whether the editor holds unsaved edits a rollback would replace. */
  editorDirty: boolean;
}

/** Every version of an agent, newest first: who made it and when, any two compared, and (admins) rollback. */
export function VersionHistory({ agentKey, currentVersion, catalogs, onRollback, editorDirty }: VersionHistoryProps) {
  const api = useApi();
  const [pages, setPages] = useState(1);
  const history = useResource(async () => {
    const loaded = await Promise.all(Array.from({ length: pages }, (_, index) => listVersions(api, agentKey, index + 1, PAGE_SIZE)));
    return { items: loaded.flatMap((page) => page.items), total: loaded[0]?.total ?? 0 };
  }, [api, agentKey, currentVersion, pages]);
  // A choice made for one state of the history; a new version brings back the default (the newest two).
  const [choice, setChoice] = useState<{ atVersion: number; from: number; to: number }>();
  const [confirming, setConfirming] = useState<AgentConfigVersion>();

  return (
    <section aria-labelledby="history-heading" className="history">
      <h2 id="history-heading">Version history</h2>
      {history.status === 'loading' ? (
        <Loading what="the version history" />
      ) : history.status === 'error' ? (
        <ErrorState error={history.error} retry={history.reload} />
      ) : history.data.items.length === 0 ? (
        <Empty>No versions yet.</Empty>
      ) : (
        <HistoryBody
          items={history.data.items}
          total={history.data.total}
          selection={
            choice?.atVersion === currentVersion
              ? choice
              : { from: history.data.items[1]?.version ?? history.data.items[0].version, to: history.data.items[0].version }
          }
          onSelect={(from, to) => setChoice({ atVersion: currentVersion, from, to })}
          onMore={() => setPages((count) => count + 1)}
          onAskRollback={onRollback ? setConfirming : undefined}
          catalogs={catalogs}
        />
      )}
      {onRollback && confirming && (
        <RollbackDialog
          version={confirming}
          currentVersion={currentVersion}
          editorDirty={editorDirty}
          onCancel={() => setConfirming(undefined)}
          onConfirm={async () => {
            await onRollback(confirming.version);
            setConfirming(undefined);
          }}
        />
      )}
    </section>
  );
}

interface HistoryBodyProps {
  items: AgentConfigVersion[];
  total: number;
  selection: { from: number; to: number };
  onSelect(from: number, to: number): void;
  onMore(): void;
  onAskRollback?: (version: AgentConfigVersion) => void;
  catalogs: Catalogs;
}

function HistoryBody({ items, total, selection, onSelect, onMore, onAskRollback, catalogs }: HistoryBodyProps) {
  const from = items.find((item) => item.version === selection.from);
  const to = items.find((item) => item.version === selection.to);
  const agents = catalogs.agents.status === 'ready' ? catalogs.agents.data : undefined;
  return (
    <>
      <div className="table-scroll">
        <table className="history-table">
          <caption className="visually-hidden">Versions, newest first; choose two to compare</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">By</th>
              <th scope="col">Note</th>
              <th scope="col">Compare from</th>
              <th scope="col">Compare to</th>
              {onAskRollback && <th scope="col">Rollback</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.version} className={item.current ? 'current' : undefined} data-testid={`version-${item.version}`}>
                <th scope="row">
                  v{item.version} {item.current && <span className="badge good">current</span>}
                </th>
                <td>{formatTimestamp(item.createdAt)}</td>
                <td>{item.author}</td>
                <td className="history-note">{item.note}</td>
                <td>
                  <input
                    type="radio"
                    name="compare-from"
                    aria-label={`Compare from version ${item.version}`}
                    checked={selection.from === item.version}
                    onChange={() => onSelect(item.version, selection.to)}
                  />
                </td>
                <td>
                  <input
                    type="radio"
                    name="compare-to"
                    aria-label={`Compare to version ${item.version}`}
                    checked={selection.to === item.version}
                    onChange={() => onSelect(selection.from, item.version)}
                  />
                </td>
                {onAskRollback && (
                  <td>
                    {item.current ? (
                      <span className="muted">live now</span>
                    ) : (
                      <button type="button" className="secondary small" onClick={() => onAskRollback(item)}>
                        Roll back to v{item.version}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {items.length < total && (
        <button type="button" className="secondary more" onClick={onMore}>
          Show older versions ({total - items.length} more)
        </button>
      )}
      <section aria-labelledby="diff-heading" className="version-diff card">
        {from && to && from.version !== to.version ? (
          <>
            <h3 id="diff-heading">
              Changes from version {from.version} to version {to.version}
            </h3>
            <p className="muted small">
              Removed text is <del>struck through</del>, added text is <ins>underlined</ins>.
            </p>
            <ConfigDiff
              before={from}
              after={to}
              context={`version ${from.version} to version ${to.version}`}
              describeAgent={(key) => agentName(key, agents)}
            />
          </>
        ) : (
          <>
            <h3 id="diff-heading">Compare versions</h3>
            <p className="muted">
              {items.length < 2 ? 'There is only one version so far.' : 'Choose two different versions to see what changed between them.'}
            </p>
          </>
        )}
      </section>
    </>
  );
}

interface RollbackDialogProps {
  version: AgentConfigVersion;
  currentVersion: number;
  editorDirty: boolean;
  onCancel(): void;
  onConfirm(): Promise<void>;
}

/** A modal confirmation (native dialog: focus kept inside, Escape cancels). */
function RollbackDialog({ version, currentVersion, editorDirty, onCancel, onConfirm }: RollbackDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const confirm = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await onConfirm();
    } catch (error) {
      setProblem(error);
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="rollback-dialog" aria-labelledby="rollback-title" onCancel={onCancel}>
      <h2 id="rollback-title">Roll back to version {version.version}?</h2>
      <p>
        This saves version {version.version}&rsquo;s content as a new version ({currentVersion + 1}). New calls use it within a second;
        calls in progress keep the version they started with. Nothing is deleted: the history keeps every version.
      </p>
      {editorDirty && <p className="state error">Your unsaved edits in the editor will be replaced by the rolled-back version.</p>}
      {problem instanceof ApiError || problem === undefined ? (
        problem && <ErrorState error={problem} />
      ) : (
        <p className="state error" role="alert">
          {problem instanceof Error ? problem.message : String(problem)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Rolling back…' : `Roll back to version ${version.version}`}
        </button>
        <button type="button" className="secondary" onClick={onCancel} autoFocus>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
