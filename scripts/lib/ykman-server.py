# A warm ykman for the interop tests (scripts/lib/ykman-server.ts starts it).
# Each `ykman` run used to cost about 0.2 s of CPU, nearly all of it Python
# importing ykman (about 360 modules) again: with hundreds of runs that was the
# interop stage's largest cost. This process imports ykman's command once, from
# the same entry point /usr/bin/ykman loads (console_scripts "ykman" of the
# yubikey-manager distribution), and forks for every run: each run is a fresh
# child with ykman imported and nothing else done, given its own argv, working
# folder, environment, stdin, stdout and stderr, as a new process would be.
# No PC/SC context exists before the fork (pyscard opens one when a command
# lists readers), so runs share no card state.
#
# Protocol, one connection per run (Unix stream socket, path in argv[1]):
#   client → server: a 4-byte big-endian length, JSON {"argv", "cwd", "env"},
#                    then stdin's bytes; then the client shuts down its writing side.
#   server → client: JSON {"code": int|null, "signal": str|null, "stdout", "stderr"} (base64 output), then close.
# A client that closes the connection early (its timeout) gets the run killed.
import base64
import importlib.metadata
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
import traceback


def load_ykman():
    dist = importlib.metadata.distribution("yubikey-manager")
    for entry in dist.entry_points:
        if entry.group == "console_scripts" and entry.name == "ykman":
            return entry.load()
    raise RuntimeError("yubikey-manager has no console script 'ykman'")


def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("connection closed")
        data += chunk
    return data


def run_ykman(main, request, stdin_fd, out_fd, err_fd):
    """In the grandchild: become the ykman process, then exit with its code."""
    code = 1
    try:
        os.dup2(stdin_fd, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = list(request["argv"])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            main()
            code = 0
        except SystemExit as e:
            # As the interpreter does at exit: None is 0, an int is the code, anything else is printed and is 1.
            if e.code is None:
                code = 0
            elif isinstance(e.code, int):
                code = e.code
            else:
                print(e.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        os._exit(code & 0xFF)


def serve_one(main, conn):
    """In the per-run child: read the request, run ykman in a grandchild, report how it ended."""
    (length,) = struct.unpack(">I", read_exact(conn, 4))
    request = json.loads(read_exact(conn, length))
    stdin_data = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        stdin_data += chunk
    files = [os.memfd_create(name) for name in ("stdin", "stdout", "stderr")]
    os.write(files[0], stdin_data)
    os.lseek(files[0], 0, os.SEEK_SET)
    pid = os.fork()
    if pid == 0:
        conn.close()
        run_ykman(main, request, *files)
    # Wait for the run (its pidfd becomes readable when it ends). The client has shut down its writing
    # side already; poll reports POLLHUP once it closes altogether (its timeout): SIGTERM, then SIGKILL.
    pidfd = os.pidfd_open(pid)
    waiting = select.poll()
    waiting.register(pidfd, select.POLLIN)
    waiting.register(conn, 0)
    killed_at = None
    while True:
        events = dict(waiting.poll(None if killed_at is None else 100))
        if pidfd in events:
            break
        if killed_at is None and events.get(conn.fileno(), 0) & (select.POLLHUP | select.POLLERR):
            os.kill(pid, signal.SIGTERM)
            killed_at = time.monotonic()
            waiting.unregister(conn)
        elif killed_at is not None and time.monotonic() - killed_at > 5:
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)

    def output(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return base64.b64encode(b"".join(chunks)).decode()
            chunks.append(chunk)

    if os.WIFSIGNALED(status):
        code, sig = None, signal.Signals(os.WTERMSIG(status)).name
    else:
        code, sig = os.WEXITSTATUS(status), None
    reply = {"code": code, "signal": sig, "stdout": output(files[1]), "stderr": output(files[2])}
    try:
        conn.sendall(json.dumps(reply).encode())
    except OSError:
        pass


def main():
    path = sys.argv[1]
    ykman_main = load_ykman()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    # Children are reaped by the kernel; the parent never waits for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    # Our stdin is a pipe from the test process: when it closes, that process is gone, and so are we.
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start()
    print("READY", flush=True)
    while True:
        conn, _ = server.accept()
        pid = os.fork()
        if pid == 0:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            code = 0
            try:
                serve_one(ykman_main, conn)
            except (EOFError, ConnectionError):
                pass  # the client left (its timeout) before the run began
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        conn.close()


if __name__ == "__main__":
    main()
