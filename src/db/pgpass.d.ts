declare module 'pgpass/lib/helper.js' {
  /** The password of the first line of `stream` (a .pgpass file) that matches `info`. */
  export function getPassword(
    info: {host: string; port: string; database: string; user: string},
    stream: NodeJS.ReadableStream,
    callback: (password: string | undefined) => void,
  ): void
}
