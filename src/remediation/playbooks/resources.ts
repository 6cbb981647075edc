import { anyOf, signal, slotsOf } from './signal.js';
import type { Playbook } from './types.js';

export const outOfMemory: Playbook = {
  id: 'pb-resource-001',
  title: 'Out of memory',
  risk: 'medium',
  // A process killed for memory takes down whatever it was doing: tests, a compile, a download.
  explains: ['pb-test-000', 'pb-test-001', 'pb-test-002', 'pb-build-000', 'pb-infra-001'],
  signals: [
    signal('node-heap', /JavaScript heap out of memory|Reached heap limit Allocation failed|Ineffective mark-compacts near heap limit|Allocation failed - process out of memory/, 0.97, () => slotsOf({ tool: 'node' })),
    signal('jvm-oom', /\bOutOfMemoryError\b|JVM heap space is exhausted|GC overhead limit exceeded/, 0.95, () => slotsOf({ tool: 'jvm' })),
    signal('dotnet-oom', /System\.OutOfMemoryException/, 0.95, () => slotsOf({ tool: 'dotnet' })),
    signal('kernel-oom-killer', /Out of memory: Kill(?:ed)? process \d{1,10}(?: \(([^)]{1,100})\))?|invoked oom-killer|oom_reaper: reaped process|oom-kill:|Memory cgroup out of memory/, 0.97, (m) => slotsOf({ tool: m[1] })),
    // The cgroup's own count (memory.events in v2, memory.oom_control in v1), often dumped after the job: a kill already happened.
    signal('cgroup-oom-kill-count', /^\s*oom_kill [1-9]\d{0,9}\s*$/, 0.9),
    signal('container-oomkilled', /\bOOMKilled\b|reason:? "?OOMKilled|OOM ?killed|exceeded (?:its |the )?memory limit|memory limit exceeded|Container killed [^\n]{0,80}memory/i, 0.95),
    signal('runtime-out-of-memory', /fatal error: runtime: out of memory|memory allocation of \d{1,20} bytes failed|\bstd::bad_alloc\b|CUDA out of memory|\bout of memory\b/i, 0.88),
    signal('php-memory-exhausted', /Allowed memory size of \d{1,20} bytes exhausted/, 0.95, () => slotsOf({ tool: 'php' })),
    signal('other-runtime-oom', /\bNoMemoryError\b|ERR_WORKER_OUT_OF_MEMORY|Worker terminated due to reaching memory limit/, 0.92),
    signal('gradle-daemon-vanished', /Gradle build daemon disappeared unexpectedly/, 0.75, () => slotsOf({ tool: 'jvm' })),
    signal('python-memory-error', /^\s*MemoryError\b|\bMemoryError: /, 0.88, () => slotsOf({ tool: 'python' })),
    // numpy/pandas, TensorFlow, the JVM's native allocator, MSVC and Windows itself.
    signal(
      'allocation-failed',
      anyOf([
        /_ArrayMemoryError\b|Unable to allocate [\d.]{1,12} [KMGTP]i?B for an array|\bResourceExhaustedError\b|OOM when allocating tensor/,
        /There is insufficient memory for the Java Runtime Environment to continue|Native memory allocation \(m(?:alloc|map)\) failed/,
        /fatal error C(?:1060|1076|3859)\b|\bLNK1102\b|The paging file is too small for this operation|Not enough memory resources are available/,
      ]),
      0.92,
    ),
    // strerror(ENOMEM) and bash's "Killed" in other locales (de, es, fr, it, pt, ru, ja, zh).
    signal(
      'localized-out-of-memory',
      anyOf([
        /Nicht genügend (?:Haupt|Arbeits)speicher|Kann nicht genügend Speicher belegen|No se puede asignar memoria|Impossible d'allouer de la mémoire/,
        /Impossibile allocare memoria|Não foi possível alocar memória|Невозможно выделить память|メモリを確保できません|无法分配内存/,
        /\b\d{1,10} {1,6}(?:Getötet|Terminado \(killed\)|Processus arrêté|Ucciso|Morto|Убито)(?: {2,}\S[^\n]{0,300})?\s*$/,
      ]),
      0.85,
    ),
    signal('cannot-allocate-memory', /Cannot allocate memory|\bENOMEM\b/, 0.8),
    signal('compiler-killed', /Killed signal terminated program (\S{1,40})|\(signal: 9, SIGKILL: kill\)/, 0.88, (m) => slotsOf({ tool: m[1] })),
    signal('process-killed', /(?:^|\s)Killed(?:\s{2,}\S[^\n]{0,300})?\s*$|\bsignal: killed\b|\bSIGKILL\b/, 0.72),
    // 137 = 128 + SIGKILL: what the OOM killer (or a container memory limit) leaves behind.
    signal(
      'exit-137',
      anyOf([/\b(?:exit(?:ed)?|exit code|exit status|returned|return code|status|code|Error)(?: with)?(?: code| status| exit code| non-zero exit status)?:? ?137\b/, /returned (?:a )?non-zero (?:exit )?(?:code|status):? ?137\b/], 'i'),
      0.72,
    ),
  ],
  summary: (slots) => `The job ran out of memory${slots.tool ? ` (${slots.tool})` : ''}: the process was killed or could not allocate.`,
  remediation: (slots) => [
    slots.tool === 'node'
      ? 'Raise the Node heap for this step (`NODE_OPTIONS=--max-old-space-size=4096`) or split the build.'
      : slots.tool === 'jvm'
        ? 'Raise the JVM heap (`-Xmx`, `MAVEN_OPTS`, `org.gradle.jvmargs`) or reduce forked test JVMs.'
        : 'Reduce parallelism (`-j`, `-n`, workers) or the data the step loads at once.',
    'Give the job a runner with more memory (a larger runner tag, or the Kubernetes executor memory limit/request).',
    'If memory grew after this change, look for a leak or an unbounded cache in it.',
  ],
};

export const diskFull: Playbook = {
  id: 'pb-resource-002',
  title: 'Disk full',
  risk: 'medium',
  explains: ['pb-test-000', 'pb-test-001', 'pb-build-000', 'pb-dep-001', 'pb-dep-002', 'pb-dep-003', 'pb-infra-001', 'pb-resource-001', 'pb-env-002'],
  signals: [
    signal('no-space-left', /No space left on device|\bErrno 28\b/i, 0.97),
    signal('enospc', /\bENOSPC\b/, 0.9, (m) => (/file watchers/.test(m.input) ? null : {})),
    signal('disk-quota', /Disk quota exceeded|\bEDQUOT\b/i, 0.95),
    signal('windows-disk-full', /There is not enough space on the disk|not enough (?:free )?(?:disk )?space|(?:don't|do not) have enough (?:free )?(?:disk )?space|insufficient (?:free )?(?:disk )?space|out of disk space/i, 0.88),
    // Windows and strerror(ENOSPC) in other locales (de, es, fr, it, pt, ru, ja, zh, nl, pl).
    signal(
      'localized-disk-full',
      anyOf([
        /nicht genügend Speicherplatz|kein Speicherplatz mehr verfügbar|No hay espacio suficiente en el disco|No queda espacio en el dispositivo/i,
        /Espace insuffisant sur le disque|Aucun espace disponible sur le périphérique|pas assez d'espace sur le disque|Spazio su disco insufficiente/i,
        /Spazio esaurito sul device|Não há espaço (?:suficiente|disponível) n[oa] (?:disco|dispositivo)|Недостаточно места на диске|не осталось свободного места/i,
        /ディスクに十分な空き領域がありません|デバイスに空き領域がありません|磁盘空间不足|设备上没有空间|onvoldoende ruimte op de schijf|Geen ruimte meer over op apparaat|Brak miejsca na urządzeniu/i,
      ]),
      0.92,
    ),
    signal('runner-low-disk', /You are running out of disk space|\bdisk (?:is )?full\b|DiskPressure|low on resource: ephemeral-storage|ephemeral local storage usage exceeds/i, 0.85),
  ],
  summary: () => 'The runner ran out of disk space.',
  remediation: () => [
    'Free space on the runner: prune Docker (`docker system prune -af --volumes`), old build directories and caches.',
    'Shrink what the job writes: cache fewer paths, clean build output between steps, use `.dockerignore`, multi-stage images.',
    'For hosted runners, remove preinstalled toolchains you do not need, or use a larger runner.',
  ],
};
