// Loaded with `node -r` by bench/onboard.js: reports the process's peak RSS when it exits.
process.on('exit', () => process.stderr.write(`\nbench:maxrss_kb=${process.resourceUsage().maxRSS}\n`))
