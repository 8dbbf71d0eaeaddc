// The wallet runs under `script-src 'self'` (no 'unsafe-eval', docs/SECURITY.md): zod's JIT probe
// (`new Function("")`) would be refused and reported as a CSP violation, so it is switched off
// here, in the first module main.ts imports, before any other module can parse a schema.
import { config } from "zod";

config({ jitless: true });
