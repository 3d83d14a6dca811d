import type {Target} from '../db/resolve.js'
import {openSession, type Session} from '../db/session.js'

/** A scratch server is ours alone: no statement, lock or idle limits. */
export const NO_LIMITS = {statementTimeoutMs: 0, lockTimeoutMs: 0, idleInTransactionMs: 0}

/** Sessions opened on a scratch server, all closed before it goes away. */
export class ScratchSessions {
  private sessions: Session[] = []

  async open(target: Target): Promise<Session> {
    const s = await openSession(target, NO_LIMITS)
    this.sessions.push(s)
    return s
  }

  async closeAll(): Promise<void> {
    const closing = this.sessions
    this.sessions = []
    await Promise.all(closing.map((s) => s.close()))
  }
}
