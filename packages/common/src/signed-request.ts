// The subgraph side of the gateway's signatures (identity.ts): reading the signed caller of an HTTP request
// (the signature covers the raw body, kept by the JSON parser) and of a WebSocket connection (signed over a
// one-time nonce, each accepted once per process within the signature's lifetime).
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import express, { type RequestHandler } from "express";
import {
  readSignedCaller,
  signIdentityHeaders,
  SIGNATURE_MAX_AGE_MS,
  WEBSOCKET_SIGNING_PURPOSE,
  type Identity,
  type SignedCaller,
} from "./identity.ts";

/** The caller of one request: who (null: anonymous) and from where (never null: the socket's peer at worst). */
export interface RequestCaller {
  identity: Identity | null;
  clientAddress: string;
}

type WithRawBody = IncomingMessage & { rawBody?: Buffer };

/** express.json that also keeps the exact bytes received, which the gateway's signature covers. */
export function jsonKeepingRawBody(limit: string | number): RequestHandler {
  return express.json({ limit, verify: (req, _res, buffer) => keepRawBody(req, buffer) });
}

/** The exact bytes of a request's body, kept by `jsonKeepingRawBody` or `keepRawBody`. */
export function rawBodyOf(req: IncomingMessage): Buffer | undefined {
  return (req as WithRawBody).rawBody;
}

/** Keeps the exact bytes of a request's body for `callerOfRequest` (a body read without express.json). */
export function keepRawBody(req: IncomingMessage, raw: Buffer): void {
  (req as WithRawBody).rawBody = raw;
}

/** The address a socket's peer has, IPv4-mapped IPv6 written as IPv4. */
export function socketAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/**
 * Who sent this request, as the gateway vouched for it over this very body; a request the gateway did not sign
 * (or signed for another body, or too long ago) is anonymous and limited by its socket's address.
 */
export function callerOfRequest(req: IncomingMessage, secret: string): RequestCaller {
  const signed = readSignedCaller(req.headers, rawBodyOf(req), secret);
  return { identity: signed?.identity ?? null, clientAddress: signed?.clientAddress ?? socketAddress(req) };
}

/** The connection parameter carrying a WebSocket signature's one-time value. */
export const WEBSOCKET_NONCE_PARAM = "x-watchflixx-nonce";

/** connection_init parameters for a WebSocket the gateway opens for `identity`: signed afresh, usable once. */
export function signWebSocketParams(identity: Identity | null, secret: string, clientAddress: string | null = null): Record<string, string> {
  const nonce = randomUUID();
  return {
    ...signIdentityHeaders(identity, secret, { body: `${WEBSOCKET_SIGNING_PURPOSE}\n${nonce}`, clientAddress }),
    [WEBSOCKET_NONCE_PARAM]: nonce,
  };
}

/** Nonces accepted within the signatures' lifetime: a replayed connection_init is anonymous. */
export class NonceGuard {
  private readonly seen = new Map<string, number>();

  /** True the first time `nonce` is offered (within SIGNATURE_MAX_AGE_MS * 2, the widest a signature lives). */
  firstUse(nonce: string, now = Date.now()): boolean {
    for (const [old, at] of this.seen) {
      if (now - at <= 2 * SIGNATURE_MAX_AGE_MS) break;
      this.seen.delete(old);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now);
    return true;
  }
}

/** The caller of a WebSocket connection from its connection_init parameters (lower-cased names), or null. */
export function readWebSocketCaller(params: Record<string, string>, secret: string, nonces: NonceGuard): SignedCaller | null {
  const nonce = params[WEBSOCKET_NONCE_PARAM];
  if (!nonce) return null;
  const signed = readSignedCaller(params, `${WEBSOCKET_SIGNING_PURPOSE}\n${nonce}`, secret);
  return signed && nonces.firstUse(nonce) ? signed : null;
}
