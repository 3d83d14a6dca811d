import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {
  clusterUrl,
  freePort,
  initCluster,
  serverUser,
  startCluster,
  stopCluster,
  type ClusterSpec,
} from '../../src/cluster/control.js'

export interface DedicatedCluster {
  spec: ClusterSpec
  url(database?: string): string
  stop(): Promise<void>
}

/**
 * A small PostgreSQL of its own (the test server's binaries, fsync off) for settings that need a
 * restart or faults that would disturb other test files; stopped by the caller's teardown.
 */
export async function dedicatedCluster(
  name: string,
  settings: Record<string, string | number> = {},
): Promise<DedicatedCluster> {
  const spec: ClusterSpec = {
    dir: join(process.env.FLUXADMIN_TEST_DIR!, `${name}-${randomBytes(3).toString('hex')}`),
    port: await freePort(),
    superuser: 'postgres',
    password: randomBytes(8).toString('hex'),
    binDir: process.env.FLUXADMIN_TEST_PG_BIN!,
    runAs: serverUser(),
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      shared_buffers: '16MB',
      max_connections: 30,
      ...settings,
    },
  }
  await initCluster(spec)
  await startCluster(spec)
  return {spec, url: (database = 'postgres') => clusterUrl(spec, database), stop: () => stopCluster(spec, 'immediate')}
}
