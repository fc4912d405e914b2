//! The tests' real SMTP server: Python's aiosmtpd on a free loopback port,
//! writing each message it accepts into a Maildir (scripts/tools.sh
//! installs it: `ensure_aiosmtpd`). Shared by the integration tests and the
//! server's process tests, which include this file by `#[path]`.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Aiosmtpd {
    child: Child,
    maildir: PathBuf,
    pub port: u16,
}

impl Aiosmtpd {
    /// Starts the server writing into `maildir` and waits (up to ten
    /// seconds) until it listens.
    pub fn start(maildir: PathBuf) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts (scripts/tools.sh installs aiosmtpd: ensure_aiosmtpd)");
        for _ in 0..100 {
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "aiosmtpd exited ({status}): install it with scripts/tools.sh's ensure_aiosmtpd"
                );
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Self {
                    child,
                    maildir,
                    port,
                };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("aiosmtpd did not listen on port {port}");
    }

    /// Every message accepted, as it arrived, in no particular order.
    pub fn raw_messages(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else {
            return Vec::new();
        };
        entries
            .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .collect()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Python that has aiosmtpd: `HAILONG_TEST_PYTHON` (scripts/test sets
/// it), else the tools' virtual environment, else `python3`.
fn python() -> PathBuf {
    if let Ok(python) = std::env::var("HAILONG_TEST_PYTHON") {
        return PathBuf::from(python);
    }
    let tools = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/tools/venv/bin/python3");
    if tools.exists() {
        tools
    } else {
        PathBuf::from("python3")
    }
}
