//! The entries, in SQLite (`rusqlite`, SQLite built in).
//!
//! - **Off the runtime's threads.** SQLite calls block, so every call runs on tokio's
//!   blocking pool (`spawn_blocking`), never on a thread that serves connections.
//! - **A bounded pool.** At most [`MAX_CONNECTIONS`] calls run at once, each on a kept
//!   connection (opened at its first use, then reused); further calls wait their turn
//!   without a thread. So reads run side by side, nothing is reopened per request, and a
//!   load of 256 connections does not become 256 blocking threads and 256 SQLite page caches.
//! - **Shared by processes.** The file is in WAL mode with a busy timeout of
//!   [`BUSY_TIMEOUT`], so two instances (or a restart overlapping the old process) can use
//!   it at once: readers never wait for the writer, a writer waits its turn.
//! - **Schema on first start**, `CREATE TABLE IF NOT EXISTS`; times are UTC, written by
//!   SQLite as `YYYY-MM-DDTHH:MM:SSZ`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::Semaphore;

use crate::entry::NewEntry;
use crate::error::ServerError;

/// How many database calls run at once (each on its own connection, kept for the next).
pub const MAX_CONNECTIONS: usize = 8;
/// How long a call waits for another process's write lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL,
    photo BLOB,
    photo_type TEXT
)";

/// A stored entry, without its photo's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its id: entries are listed by id, newest (highest) first.
    pub id: i64,
    /// The name, as stored.
    pub name: String,
    /// The message, as stored.
    pub message: String,
    /// When it was signed, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created: String,
    /// Whether it has a photo.
    pub has_photo: bool,
}

/// The guestbook's database: a file path and the idle connections. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
    turns: Arc<Semaphore>,
}

impl Db {
    /// Opens (or creates) the database at `path` and makes its schema.
    ///
    /// # Errors
    /// When the file cannot be opened or is not a database.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, ServerError> {
        let turns = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let db = Self { path: Arc::new(path.as_ref().to_owned()), idle: Arc::default(), turns };
        db.call(|connection| connection.execute_batch(SCHEMA)).await?;
        Ok(db)
    }

    /// Runs `work` with a connection, on the blocking pool.
    async fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, ServerError> {
        let (path, idle) = (self.path.clone(), self.idle.clone());
        let turn =
            self.turns.clone().acquire_owned().await.map_err(|_| ServerError::new("the database pool is closed"))?;
        let blocking = tokio::task::spawn_blocking(move || {
            let _turn = turn; // held until the connection is back
            let kept = idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop();
            let connection = match kept {
                Some(connection) => connection,
                None => connect(&path)?,
            };
            let result = work(&connection);
            idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(connection);
            result
        });
        match blocking.await {
            Ok(result) => Ok(result?),
            Err(join) => Err(ServerError::new(format!("a database call did not finish: {join}"))),
        }
    }

    /// Stores a valid signing and returns it as stored.
    ///
    /// # Errors
    /// A database failure.
    pub async fn insert(&self, entry: NewEntry) -> Result<Entry, ServerError> {
        self.call(move |connection| {
            let (photo, photo_type) = entry.photo.map_or((None, None), |(bytes, kind)| (Some(bytes), Some(kind)));
            connection.query_row(
                "INSERT INTO entries (name, message, created, photo, photo_type)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3, ?4)
                 RETURNING id, name, message, created, photo IS NOT NULL",
                params![entry.name, entry.message, photo, photo_type],
                row_to_entry,
            )
        })
        .await
    }

    /// The newest `limit` entries, newest first.
    ///
    /// # Errors
    /// A database failure.
    pub async fn recent(&self, limit: u32) -> Result<Vec<Entry>, ServerError> {
        self.call(move |connection| {
            let mut statement = connection.prepare(
                "SELECT id, name, message, created, photo IS NOT NULL FROM entries ORDER BY id DESC LIMIT ?1",
            )?;
            statement.query_map([limit], row_to_entry)?.collect()
        })
        .await
    }

    /// The entry `id`, if there is one.
    ///
    /// # Errors
    /// A database failure.
    pub async fn get(&self, id: i64) -> Result<Option<Entry>, ServerError> {
        self.call(move |connection| {
            connection
                .prepare("SELECT id, name, message, created, photo IS NOT NULL FROM entries WHERE id = ?1")?
                .query_row([id], row_to_entry)
                .optional()
        })
        .await
    }

    /// The photo of entry `id` and its type, if it has one.
    ///
    /// # Errors
    /// A database failure.
    pub async fn photo(&self, id: i64) -> Result<Option<(Vec<u8>, String)>, ServerError> {
        self.call(move |connection| {
            connection
                .prepare("SELECT photo, photo_type FROM entries WHERE id = ?1 AND photo IS NOT NULL")?
                .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()
        })
        .await
    }
}

/// A new connection with the settings every connection needs.
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(connection)
}

fn row_to_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry { id: row.get(0)?, name: row.get(1)?, message: row.get(2)?, created: row.get(3)?, has_photo: row.get(4)? })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread")]
    async fn at_most_max_connections_calls_run_at_once_and_their_connections_are_kept() {
        let dir = std::env::temp_dir().join(format!("guestbook-db-pool-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::open(dir.join("pool.db")).await.unwrap();
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let calls: Vec<_> = (0..64)
            .map(|_| {
                let (db, running, most) = (db.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    db.call(move |connection| {
                        most.fetch_max(running.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                        connection.query_row("SELECT count(*) FROM entries", [], |row| row.get::<_, i64>(0))
                    })
                    .await
                })
            })
            .collect();
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), 0);
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=MAX_CONNECTIONS).contains(&most), "{most} calls ran at once");
        assert!(db.idle.lock().unwrap().len() <= MAX_CONNECTIONS);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
