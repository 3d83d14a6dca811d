declare module 'pgpass' {
  function pgpass(info: {host: string; port: string; database: string; user: string}, callback: (password: string | undefined) => void): void
  export default pgpass
}
