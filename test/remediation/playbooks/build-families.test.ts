import { describe, expect, it } from 'vitest';
import { analyzeFailure } from '../../../src/remediation/analyze.js';
import { githubStep, gitlabJob, jenkinsStage } from '../runners.js';

describe('pb-build-000: compilers in other locales', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['gcc, German (Jenkins + CMake)', jenkinsStage(`+ cmake --build build -j 8
[ 25%] Building CXX object src/CMakeFiles/core.dir/net/parser.cpp.o
/var/lib/jenkins/workspace/edge/src/net/parser.cpp:142:9: Fehler: »contentLenght« wurde in diesem Gültigkeitsbereich nicht definiert
make[2]: *** [src/CMakeFiles/core.dir/build.make:216: src/CMakeFiles/core.dir/net/parser.cpp.o] Fehler 1
make: *** [Makefile:136: all] Fehler 2`), '/var/lib/jenkins/workspace/edge/src/net/parser.cpp'],
    ['gcc, French', gitlabJob('gcc:14', `$ make
src/main.c:12:5: erreur: « cfg » non déclaré (première utilisation dans cette fonction)
make: *** [Makefile:8: main.o] Erreur 1`), 'src/main.c'],
    ['gcc, Spanish fatal error', gitlabJob('gcc:14', `$ make
src/io.c:3:10: error fatal: zlib.h: No existe el archivo o el directorio
compilación terminada.
make: *** [Makefile:8: io.o] Error 1`), 'src/io.c'],
    ['javac, German', jenkinsStage(`+ javac -d out src/com/acme/App.java
src/com/acme/App.java:12: Fehler: Symbol nicht gefunden
        Strng name = args[0];
        ^
1 Fehler`), 'src/com/acme/App.java'],
    ['tsc with --locale de', githubStep('npx tsc --locale de', "src/user.ts(12,7): Fehler TS2322: Der Typ \"string\" kann dem Typ \"number\" nicht zugewiesen werden."), undefined],
  ];
  it.each(cases)('%s', (_name, log, file) => {
    const diagnosis = analyzeFailure(log);
    expect(diagnosis.playbookId).toBe('pb-build-000');
    if (file) expect(diagnosis.slots.file).toBe(file);
  });
});

describe('pb-build-000: more toolchains', () => {
  const cases: Array<[string, string]> = [
    ['xcodebuild | xcpretty', githubStep('xcodebuild build | xcpretty', `▸ Compiling ProfileView.swift
❌ /Users/runner/work/app/app/App/ProfileView.swift:57:34: value of type 'User' has no member 'avatarURL'
** BUILD FAILED **

The following build commands failed:
	SwiftCompile normal arm64 Compiling\\ ProfileView.swift /Users/runner/work/app/app/App/ProfileView.swift (in target 'App' from project 'App')
(1 failure)`, 65)],
    ['xcodebuild raw, only the closing list', githubStep('xcodebuild archive -scheme App', `** ARCHIVE FAILED **

The following build commands failed:
	CompileSwift normal arm64 /Users/runner/work/app/app/App/Cart.swift (in target 'App' from project 'App')
(1 failure)`, 65)],
    ['sbt / Scala 3', gitlabJob('sbtscala/scala-sbt:eclipse-temurin-21.0.2_13_1.10.0_3.4.2', `$ sbt compile
[error] -- [E007] Type Mismatch Error: /builds/x/src/main/scala/Cart.scala:14:27
[error] 14 |  def total: Int = items.map(_.price).sum.toString
[error] one error found
[error] (Compile / compileIncremental) Compilation failed`)],
    ['Flutter build', gitlabJob('ghcr.io/cirruslabs/flutter:3.22.0', `$ flutter build apk
lib/cart/cart_page.dart:41:23: Error: The getter 'totl' isn't defined for the class 'Cart'.
Target kernel_snapshot failed: Exception
FAILURE: Build failed with an exception.`)],
    ['Next.js type error', githubStep('npm run build', `   Linting and checking validity of types ...
Failed to compile.

./app/cart/page.tsx:12:7
Type error: Type 'string' is not assignable to type 'number'.`)],
    ['Android resources', gitlabJob('cimg/android:2024.04', `$ ./gradlew assembleRelease
> Task :app:processReleaseResources FAILED
ERROR: /builds/x/app/src/main/res/layout/cart.xml:12: AAPT: error: resource color/brand_primry (aka com.acme:color/brand_primry) not found.`)],
    ['dotnet format analyzers', githubStep('dotnet format --verify-no-changes', "D:\\a\\api\\api\\src\\Orders.cs(3,1): error IDE0055: Fix formatting [D:\\a\\api\\api\\src\\Api.csproj]")],
    ['PHPStan', gitlabJob('php:8.3', `$ vendor/bin/phpstan analyse src
 ------ ----------------------------------------------
  Line   src/Cart.php
 ------ ----------------------------------------------
  41     Call to an undefined method App\\Cart::totl().
 ------ ----------------------------------------------

 [ERROR] Found 1 error`)],
  ];
  it.each(cases)('%s', (_name, log) => {
    expect(analyzeFailure(log).playbookId).toBe('pb-build-000');
  });

  it('an Xcode build that failed on code signing is not a code error', () => {
    const log = githubStep('xcodebuild archive -scheme App', `error: No signing certificate "iOS Distribution" found: No "iOS Distribution" signing certificate matching team ID "ABCDE12345" with a private key was found. (in target 'App' from project 'App')
** ARCHIVE FAILED **

The following build commands failed:
	Check dependencies
(1 failure)`, 65);
    expect(analyzeFailure(log).playbookId).not.toBe('pb-build-000');
  });
});
