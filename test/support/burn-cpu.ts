/** Keeps this thread busy until it has used `seconds` of CPU (by its own account, not the clock). */
export function burnCpu(seconds: number): void {
  const used = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const until = used() + seconds;
  while (used() < until) Math.sqrt(Math.random());
}
