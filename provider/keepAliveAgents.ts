import * as http from "http";
import * as https from "https";
import type { Socket } from "net";

/** How long a pooled socket may wait for its next request: under the 5 s after which Node.js servers close one. */
const IDLE_SOCKET_MS = 4_000;

/**
 * Keep-alive agents for one client. Node.js's default agents give every new socket a 5 s timeout
 * that already runs while it connects: when the event loop is busy for 5 s just after a request
 * is sent (a large program loading its modules on a loaded machine), the request fails as timed
 * out before its connection is even seen. These agents time a socket out only while it waits idle
 * in the pool; connecting is covered by the client's own per-request timeout, counted in real time.
 */
export function keepAliveAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  return { httpAgent: idleTimeoutOnly(new http.Agent({ keepAlive: true })), httpsAgent: idleTimeoutOnly(new https.Agent({ keepAlive: true })) };
}

function idleTimeoutOnly<A extends http.Agent>(agent: A): A {
  // Node.js's agent returns whether it kept the socket; its type declarations say void.
  const keep = agent.keepSocketAlive.bind(agent) as (socket: Socket) => boolean;
  const reuse = agent.reuseSocket.bind(agent);
  agent.keepSocketAlive = (socket) => {
    const kept = keep(socket as Socket);
    if (kept) (socket as Socket).setTimeout(IDLE_SOCKET_MS);
    return kept;
  };
  agent.reuseSocket = (socket, request) => {
    (socket as Socket).setTimeout(0);
    reuse(socket, request);
  };
  return agent;
}
