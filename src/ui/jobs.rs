//! Background jobs with progress, so the window never freezes.

use std::sync::mpsc::{Receiver, channel};

/// A message from a running job.
pub enum JobMsg<T> {
    /// Progress: phase, done, total.
    Progress(String, u64, u64),
    /// Finished with a result.
    Done(Result<T, String>),
}

/// A job running on its own thread.
pub struct Job<T> {
    rx: Receiver<JobMsg<T>>,
    /// The last progress seen.
    pub progress: (String, u64, u64),
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; it reports progress through the callback it receives.
    pub fn spawn(
        ctx: &egui::Context,
        work: impl FnOnce(&mut dyn FnMut(&str, u64, u64)) -> Result<T, String> + Send + 'static,
    ) -> Self {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let mut report = |phase: &str, done: u64, total: u64| {
                let _ = tx.send(JobMsg::Progress(phase.to_string(), done, total));
                ctx.request_repaint();
            };
            let result = work(&mut report);
            let _ = tx.send(JobMsg::Done(result));
            ctx.request_repaint();
        });
        Job {
            rx,
            progress: (String::new(), 0, 1),
        }
    }

    /// Takes the messages that arrived; returns the result when the job has finished.
    pub fn poll(&mut self) -> Option<Result<T, String>> {
        while let Ok(msg) = self.rx.try_recv() {
            match msg {
                JobMsg::Progress(p, d, t) => self.progress = (p, d, t),
                JobMsg::Done(r) => return Some(r),
            }
        }
        None
    }

    /// Progress as a fraction.
    pub fn fraction(&self) -> f32 {
        (self.progress.1 as f32 / self.progress.2.max(1) as f32).clamp(0.0, 1.0)
    }
}

/// A row of a list that can be found again by the id of its record.
pub trait Row {
    /// The id of the record the row shows.
    fn id(&self) -> crate::domain::Id;
}

/// What a patch did to one row of a [`Loader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patched {
    /// A row was added at this position (the end).
    Added(u32),
    /// The row at this position was replaced.
    Changed(u32),
    /// A row was removed (positions after it moved).
    Removed,
}

/// Rows of a list, loaded for a given stamp (the database generation and the filter
/// parameters): inline when small, in a background [`Job`] when large, so no frame waits on
/// the disk. The old rows stay on screen until the new ones arrive. After the window's own
/// writes the rows are patched one by one ([`Loader::patch`]) instead of reloaded.
pub struct Loader<T> {
    /// The rows last loaded.
    pub rows: std::sync::Arc<Vec<T>>,
    stamp: Option<u64>,
    /// The running load: its job, its stamp, and where the window's change log stood when
    /// it started (writes from there on are patched into its rows when they arrive).
    job: Option<(Job<Vec<T>>, u64, usize)>,
    /// The last loading error.
    pub error: Option<String>,
    /// Position in the window's change log up to which the rows are up to date.
    seen: usize,
    /// Bumped whenever the rows change (a load or a patch).
    version: u64,
    /// How many full loads were installed.
    loads: u64,
}

impl<T> Default for Loader<T> {
    fn default() -> Self {
        Loader {
            rows: std::sync::Arc::new(Vec::new()),
            stamp: None,
            job: None,
            error: None,
            seen: 0,
            version: 0,
            loads: 0,
        }
    }
}

impl<T: Send + Sync + 'static> Loader<T> {
    /// Makes sure the rows belong to `stamp`. Returns true when new rows arrived this frame.
    pub fn ensure(
        &mut self,
        ctx: &egui::Context,
        env: &super::Env,
        stamp: u64,
        inline: bool,
        load: impl FnOnce(&mut dyn FnMut(&str, u64, u64)) -> Result<Vec<T>, String> + Send + 'static,
    ) -> bool {
        let mut changed = false;
        if let Some((job, s, mark)) = &mut self.job
            && let Some(result) = job.poll()
        {
            let (s, mark) = (*s, *mark);
            self.job = None;
            match result {
                Ok(rows) => {
                    self.install(rows, mark);
                    self.stamp = Some(s);
                    changed = true;
                }
                Err(e) => {
                    self.error = Some(e);
                    self.stamp = Some(s);
                }
            }
        }
        let pending = self.job.as_ref().map(|(_, s, _)| *s);
        if self.stamp != Some(stamp) && pending != Some(stamp) {
            let mark = env.change_count();
            if inline {
                self.job = None;
                match load(&mut |_, _, _| {}) {
                    Ok(rows) => self.install(rows, mark),
                    Err(e) => self.error = Some(e),
                }
                self.stamp = Some(stamp);
                changed = true;
            } else {
                self.job = Some((Job::spawn(ctx, load), stamp, mark));
            }
        }
        if self.job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        changed
    }

    fn install(&mut self, rows: Vec<T>, mark: usize) {
        self.rows = std::sync::Arc::new(rows);
        self.error = None;
        self.seen = mark;
        self.version += 1;
        self.loads += 1;
    }

    /// [`Loader::ensure`] with every record of `E` in the store, each made into a row by
    /// `row`; loads again only when the database was replaced, and patches the rows after the
    /// window's own writes of `E`.
    pub fn ensure_all<E: crate::store::Entity>(
        &mut self,
        ctx: &egui::Context,
        env: &super::Env,
        inline: bool,
        row: impl Fn(E) -> T + Send + Clone + 'static,
    ) -> bool
    where
        T: Row + Clone,
    {
        let reads = env.reads();
        let load_row = row.clone();
        let loaded = self.ensure(ctx, env, env.generation(), inline, move |_| {
            let r = reads.read().map_err(|e| e.to_string())?;
            let mut v = Vec::new();
            r.for_each(|x: E| v.push(load_row(x)))
                .map_err(|e| e.to_string())?;
            Ok(v)
        });
        let patched = self.patch::<E>(env, |e| Some(row(e.clone())));
        loaded || !patched.is_empty()
    }

    /// Applies the window's own writes of `E` made since the rows were loaded or last
    /// patched: each changed record is read once and its row replaced, added (at the end)
    /// or dropped; `row` gives the row a record makes in this list, or `None` when it does
    /// not belong there (a contact of another year). Nothing while a load is running (its
    /// rows are patched when they arrive). Returns what changed, in order.
    pub fn patch<E: crate::store::Entity>(
        &mut self,
        env: &super::Env,
        row: impl Fn(&E) -> Option<T>,
    ) -> Vec<Patched>
    where
        T: Row + Clone,
    {
        if self.job.is_some() || self.seen >= env.change_count() {
            return Vec::new();
        }
        let ids: Vec<crate::domain::Id> = env
            .changes_since(self.seen)
            .iter()
            .filter(|(k, _)| *k == E::KIND)
            .map(|(_, id)| *id)
            .collect();
        self.seen = env.change_count();
        if ids.is_empty() {
            return Vec::new();
        }
        let reader = match env.read() {
            Ok(r) => r,
            Err(e) => {
                self.error = Some(e.to_string());
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for id in ids {
            let new = match reader.get::<E>(id) {
                Ok(rec) => rec.as_ref().and_then(&row),
                Err(e) => {
                    self.error = Some(e.to_string());
                    continue;
                }
            };
            let rows = std::sync::Arc::make_mut(&mut self.rows);
            let at = rows.iter().position(|r| r.id() == id);
            match (at, new) {
                (Some(i), Some(r)) => {
                    rows[i] = r;
                    out.push(Patched::Changed(i as u32));
                }
                (None, Some(r)) => {
                    rows.push(r);
                    out.push(Patched::Added(rows.len() as u32 - 1));
                }
                (Some(i), None) => {
                    rows.remove(i);
                    out.push(Patched::Removed);
                }
                (None, None) => {}
            }
        }
        if !out.is_empty() {
            self.version += 1;
        }
        out
    }

    /// Changes whenever the rows on screen change (a load or a patch), for the change keys
    /// of the screens that filter and sort them.
    pub fn loaded(&self) -> u64 {
        self.version
    }

    /// How many full loads were installed (reading the whole list from the database).
    pub fn loads(&self) -> u64 {
        self.loads
    }

    /// Progress of a load in the background, if one is running.
    pub fn loading(&self) -> Option<f32> {
        self.job.as_ref().map(|(j, _, _)| j.fraction())
    }

    /// Forgets the stamp so the next `ensure` reloads.
    pub fn invalidate(&mut self) {
        self.stamp = None;
    }
}

/// A stamp from several numbers (revisions and filter values).
pub fn stamp(parts: &[u64]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}
