export { buildOpenApi } from './build';
export { OPERATIONS, type Auth, type HttpMethod, type Operation } from './operations';
