// Imported first by the renderer entry: the page's CSP forbids eval (script-src 'self'), so zod runs jitless.
// Without this, every object schema built at import time probes `new Function` and the page logs a CSP violation.
import { z } from 'zod';

z.config({ jitless: true });
