import * as fs from "fs";

/** Live (not zombie) redis-server processes whose parent is `parentPid`, read from /proc. */
export function childRedisServers(parentPid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(fs.readFileSync(`/proc/${entry}/stat`, "utf8").trim()) ?? [];
        const [state, ppid] = rest?.split(" ") ?? [];
        return comm === "redis-server" && state !== "Z" && Number(ppid) === parentPid;
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
