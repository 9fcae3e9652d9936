import { Component, lazy, ReactNode, Suspense } from 'react';
import { ErrorState, Loading } from '../components/States';

// Recharts is most of the console's weight: only this page loads it, on its first visit.
const FlowView = lazy(() => import('../flow/FlowView'));

/** A chunk that fails to load (the service was redeployed meanwhile, the network dropped) gets an error state, not a blank page. */
class ChunkBoundary extends Component<{ children: ReactNode }, { error?: unknown }> {
  state: { error?: unknown } = {};

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  render() {
    if (this.state.error !== undefined) return <ErrorState error={this.state.error} retry={() => window.location.reload()} />;
    return this.props.children;
  }
}

export function FlowPage() {
  return (
    <ChunkBoundary>
      <Suspense fallback={<Loading what="flow and stats" />}>
        <FlowView />
      </Suspense>
    </ChunkBoundary>
  );
}
