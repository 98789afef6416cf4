/**
 * Types for the parts of undici that the Cloudflare client loads on their own (see
 * loadUndici in client.ts): importing these instead of the package entry keeps the fetch
 * implementation, WebSocket, caches and mocks out of the start-up path.
 */
declare module 'undici/lib/dispatcher/agent.js' {
  import type { Agent } from 'undici';
  const AgentClass: typeof Agent;
  export default AgentClass;
}
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  function request(this: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  export default request;
}
