export { buildApp, redactUrl } from "./app.js";
export { configFromEnv, type ServerConfig } from "./config.js";
export { ERROR_STATUS, errorToProblem, problem, type Problem } from "./problem.js";
