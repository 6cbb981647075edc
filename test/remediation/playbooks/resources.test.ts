import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-resource-001 out of memory', () => {
  const cases: Array<[string, string, number?]> = [
    ['node heap', githubStep('npm run build', '<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xb090e0 node::Abort() [node]', 134)],
    ['JVM heap in gradle', gitlabJob('gradle:8-jdk17', '$ ./gradlew assemble\n> Task :app:compileKotlin\nExpiring Daemon because JVM heap space is exhausted\n\nFAILURE: Build failed with an exception.\n* What went wrong:\nExecution failed for task \':app:compileKotlin\'.\n> java.lang.OutOfMemoryError: Java heap space')],
    ['kernel OOM killer (dmesg)', jenkinsStage('+ make -j16\n[1234567.890] Out of memory: Killed process 4242 (cc1plus) total-vm:3145728kB, anon-rss:2097152kB\nmake: *** [Makefile:20: all] Error 2')],
    ['killed, exit 137 (GitLab)', gitlabJob('python:3.12', '$ python train.py --epochs 3\nloading 12000000 rows\n/scripts-1-2/step_script: line 150:   231 Killed                  python train.py --epochs 3', 137)],
    ['Kubernetes executor OOMKilled', 'Running with gitlab-runner 17.0.0\nUsing Kubernetes executor with image node:20 ...\n$ npm run build\nERROR: Job failed: pod "runner-abc-project-1-concurrent-0" status is "Failed", reason "OOMKilled" (container "build" exit code 137)'],
    ['Python MemoryError', githubStep('python etl.py', 'Traceback (most recent call last):\n  File "/home/runner/work/etl/etl/etl.py", line 30, in <module>\n    frame = pd.concat(chunks)\nMemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type int64')],
    ['cargo: rustc killed', gitlabJob('rust:1.79', '$ cargo build --release\n   Compiling engine v0.1.0 (/builds/x)\nerror: could not compile `engine` (lib)\n\nCaused by:\n  process didn\'t exit successfully: `rustc --crate-name engine` (signal: 9, SIGKILL: kill)', 101)],
    ['PHP memory_limit (composer)', githubStep('composer install', 'PHP Fatal error:  Allowed memory size of 1610612736 bytes exhausted (tried to allocate 4096 bytes) in phar:///usr/local/bin/composer/src/Composer/DependencyResolver/Solver.php on line 223')],
    ['Go runtime', gitlabJob('golang:1.22', '$ go test ./...\nfatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw({0x6b0f8a?, 0x2000?})')],
    ['BuildKit step exit 137', githubStep('docker build .', '#11 [build 5/6] RUN npm run build\n#11 94.31 Killed\n#11 ERROR: process "/bin/sh -c npm run build" did not complete successfully: exit code: 137')],
  ];
  it.each(cases)('%s', (_name, log) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-resource-001');
    expect(diagnosis.autoFix).toBeUndefined();
  });

  it('an OOM kill beats the failing tests it caused', () => {
    const log = gitlabJob('node:20', `
$ npx jest --maxWorkers=4
FAIL src/report/export.test.ts
  ● export › renders 10k rows

    A jest worker process (pid=412) was terminated by another process: signal=SIGKILL, exitCode=null.

Tests:       1 failed, 210 passed, 211 total
[  812.341] Out of memory: Killed process 412 (node) total-vm:4194304kB`, 1);
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-resource-001');
    expect(diagnosis.candidates.map((candidate) => candidate.playbookId)).toContain('pb-test-000');
  });

  it("the cgroup's oom_kill count explains test workers that crashed (pytest-xdist)", () => {
    const crashed = `$ pytest -n 4 tests/
.......[gw1] node down: Not properly terminated
F
replacing crashed worker gw1
worker 'gw1' crashed while running 'tests/test_index.py::test_build_from_corpus'
FAILED tests/test_index.py::test_build_from_corpus
1 failed, 310 passed in 201.40s (0:03:21)
$ cat /sys/fs/cgroup/memory.events
low 0
high 0
max 812`;
    expect(analyzeFailure(gitlabJob('python:3.12', `${crashed}\noom 1\noom_kill 1`)).playbookId).toBe('pb-resource-001');
    // No kill counted: the crash is something else, and the failed test is what is known.
    expect(analyzeFailure(gitlabJob('python:3.12', `${crashed}\noom 0\noom_kill 0\noom_kill_disable 0`)).playbookId).toBe('pb-test-000');
  });
});

describe('pb-resource-002 disk full', () => {
  const cases: Array<[string, string]> = [
    ['docker layer extraction', gitlabJob('docker:27', '$ docker pull registry.example.com/ml/base:cuda12\nfailed to register layer: write /var/lib/docker/overlay2/1f2e/diff/usr/lib/libcudnn.so.8: no space left on device')],
    ['npm ENOSPC', githubStep('npm ci', 'npm ERR! code ENOSPC\nnpm ERR! syscall write\nnpm ERR! nospc ENOSPC: no space left on device, write')],
    ['Windows', githubStep('msbuild', 'C:\\hostedtoolcache\\windows\\dotnet\\sdk\\8.0.300\\Microsoft.Common.CurrentVersion.targets(5270,5): error MSB3021: Unable to copy file "obj\\Release\\App.dll". There is not enough space on the disk.')],
    ['Python errno 28', jenkinsStage("+ python pack.py\nOSError: [Errno 28] No space left on device: '/tmp/out/part-0001.parquet'")],
    ['apt cache', gitlabJob('debian:12', "$ apt-get install -y texlive-full\nE: You don't have enough free space in /var/cache/apt/archives/.")],
    ['disk quota', gitlabJob('alpine', "$ tar xzf assets.tgz\ntar: static/video.mp4: Cannot write: Disk quota exceeded")],
  ];
  it.each(cases)('%s', (_name, log) => {
    expect(analyzeFailure(log).playbookId).toBe('pb-resource-002');
  });

  it('too many file watchers is ENOSPC too, but not a full disk', () => {
    const log = githubStep('npm test -- --watch', 'Error: ENOSPC: System limit for number of file watchers reached, watch \'/home/runner/work/x/x/src\'');
    expect(analyzeFailure(log).playbookId).toBe('pb-env-002');
  });
});

describe('resources in other locales and runtimes', () => {
  it('disk full in German, Spanish and French (Windows MSBuild, glibc)', () => {
    const msbuild = githubStep('msbuild Reporting.sln /p:Configuration=Release', 'CSC : error CS0016: Die Ausgabedatei "D:\\a\\r\\obj\\Release\\net8.0\\Reporting.dll" konnte nicht geschrieben werden -- "Auf dem Datenträger ist nicht genügend Speicherplatz vorhanden. : \'D:\\a\\r\\obj\\Release\\net8.0\\Reporting.dll\'".\nFehler beim Buildvorgang.\n    1 Fehler');
    const tar = gitlabJob('debian:12', '$ tar -xzf dataset.tar.gz -C /data\ntar: data/part-0042.parquet: No se puede escribir: No queda espacio en el dispositivo\ntar: Exiting with failure status due to previous errors');
    const cp = jenkinsStage("+ cp -r build/ /srv/www/\ncp: erreur d'écriture de '/srv/www/build/app.js': Aucun espace disponible sur le périphérique");
    for (const log of [msbuild, tar, cp]) expect(analyzeFailure(log).playbookId).toBe('pb-resource-002');
  });

  it('out of memory: numpy inside a failing test, the JVM allocator, MSVC, a German "Killed"', () => {
    const numpy = gitlabJob('python:3.11', '$ pytest -q\nE   numpy.core._exceptions._ArrayMemoryError: Unable to allocate 74.5 GiB for an array with shape (100000, 100000) and data type float64\nFAILED tests/test_sim.py::test_full_matrix - numpy.core._exceptions._ArrayMemoryError: Unable to allocate 74.5 GiB\n1 failed, 101 passed in 19.33s');
    const jvm = jenkinsStage('+ ./gradlew build\n# There is insufficient memory for the Java Runtime Environment to continue.\n# Native memory allocation (mmap) failed to map 2147483648 bytes for committing reserved memory.');
    const msvc = githubStep('cmake --build build --config Release', 'D:\\a\\eng\\eng\\src\\big_tables.cpp(1): fatal error C1060: compiler is out of heap space [D:\\a\\eng\\eng\\build\\eng.vcxproj]');
    const german = gitlabJob('python:3.12', '$ python train.py\n/scripts-1/step_script: Zeile 150:   231 Getötet                 python train.py', 137);
    for (const log of [numpy, jvm, msvc, german]) expect(analyzeFailure(log).playbookId).toBe('pb-resource-001');
  });
});
