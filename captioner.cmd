@echo off
rem Runs the Captioner CLI from the built jar, building it first when it is missing: ./captioner for Windows.
setlocal EnableExtensions DisableDelayedExpansion
set "home=%~dp0"
set "home=%home:~0,-1%"
set "jar=%home%\captioner-cli\target\captioner.jar"
if defined CAPTIONER_REBUILD goto build
if exist "%jar%" goto run
:build
>&2 echo captioner: building (first run only)...
pushd "%home%" || exit /b 1
call mvn -q -B -DskipTests package 1>&2
set "built=%errorlevel%"
popd
if not "%built%"=="0" exit /b %built%
:run
rem libtorch's idle OpenMP threads sleep instead of spinning (as in ./captioner; MALLOC_ARENA_MAX is glibc's only).
if not defined OMP_WAIT_POLICY set "OMP_WAIT_POLICY=PASSIVE"
rem JVM options unless set, as in ./captioner: serve bounds its own heap (1 GB); long-running commands fault the
rem heap's pages in at start (without, the first captions of a process took 1.5 times as long; bench/README.md).
if defined CAPTIONER_JAVA_OPTS goto java_opts_set
set "pretouch="
for %%c in (serve bench evaluate features train spark) do if /i "%~1"=="%%c" set "pretouch= -XX:+AlwaysPreTouch"
set "CAPTIONER_JAVA_OPTS=-Xmx8g%pretouch%"
if /i "%~1"=="serve" set "CAPTIONER_JAVA_OPTS=-Xmx1g%pretouch%"
:java_opts_set
rem The JVM options, the jar and its home go to java in an @argfile, as in ./captioner: one argument a line,
rem double-quoted, backslashes doubled; CAPTIONER_JAVA_OPTS as written, for java to split at white space.
rem Your arguments follow on the command line as typed, for java.exe to split by Windows' rules: cmd caps its
rem command lines at 8191 characters, so a file would not take more of them, and cmd's own splitting (%%1 %%2)
rem would break "--set a=b" at the "=".
:name_argfile
set "argfile=%TEMP%\captioner-%RANDOM%-%RANDOM%.args"
if exist "%argfile%" goto name_argfile
rem Written in the ANSI code page, the one java reads it in (cmd writes in the console's), so a home whose path
rem has accented letters arrives intact.
for /f "tokens=2 delims=:." %%p in ('chcp') do set /a "console_cp=%%p" >nul 2>&1
for /f "tokens=3" %%p in ('reg query "HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage" /v ACP 2^>nul') do set "ansi_cp=%%p"
if defined console_cp if defined ansi_cp chcp %ansi_cp% >nul 2>&1
>"%argfile%" echo %CAPTIONER_JAVA_OPTS%
>>"%argfile%" echo "-Dai.djl.offline=true"
>>"%argfile%" echo "-Dcaptioner.home=%home:\=\\%"
>>"%argfile%" echo "-jar"
>>"%argfile%" echo "%jar:\=\\%"
if defined console_cp if defined ansi_cp chcp %console_cp% >nul 2>&1
java @"%argfile%" %*
set "status=%errorlevel%"
del "%argfile%" >nul 2>&1
exit /b %status%
