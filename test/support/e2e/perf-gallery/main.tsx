// A page holding only the Performance panel's parts, built by Vite like the app and served under the app's CSP by
// test/e2e/performance-parts.test.ts, so the d3 flame graph is exercised in Chromium before any section hosts it.
// First, as in renderer/main.tsx: zod must run jitless under script-src 'self' (this test caught it missing here).
import '../../../../renderer/lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { FlameGraph } from '../../../../renderer/features/code/performance/FlameGraph';
import { HotFunctionsTable } from '../../../../renderer/features/code/performance/HotFunctionsTable';
import { SpeedupChart } from '../../../../renderer/features/code/performance/SpeedupChart';
import { VerdictBadge } from '../../../../renderer/features/code/performance/VerdictBadge';
import '../../../../renderer/styles.css';
import { BENCH, EQUIVALENT, HOT, PROFILE } from './data';
import './gallery.css';

const w = window as unknown as { __opened: string[] };
w.__opened = [];
const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <main className="gallery">
        <FlameGraph profile={PROFILE} />
        <HotFunctionsTable hot={HOT} onOpen={(file, line) => w.__opened.push(`${file}:${line}`)} />
        <SpeedupChart bench={BENCH} />
        <VerdictBadge bench={BENCH} equivalence={EQUIVALENT} />
      </main>
    </StrictMode>,
  );
