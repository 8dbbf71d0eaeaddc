// Setup file of the "postgres" vitest project (vitest.config.ts): after each test file, drop the
// schemas its servers used (tests/helpers/backend.ts). Registered before the file's own hooks, so
// with vitest's stacked hook order it runs after them, once every server is closed.
import { afterAll } from "vitest";
import { dropTestSchemas } from "./backend.js";

afterAll(dropTestSchemas);
