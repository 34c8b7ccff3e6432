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

/// Rows of a list, loaded for a given stamp (revision of the data and filter parameters):
/// inline when small, in a background [`Job`] when large, so no frame waits on the disk.
/// The old rows stay on screen until the new ones arrive.
pub struct Loader<T> {
    /// The rows last loaded.
    pub rows: std::sync::Arc<Vec<T>>,
    stamp: Option<u64>,
    job: Option<(Job<Vec<T>>, u64)>,
    /// The last loading error.
    pub error: Option<String>,
}

impl<T> Default for Loader<T> {
    fn default() -> Self {
        Loader {
            rows: std::sync::Arc::new(Vec::new()),
            stamp: None,
            job: None,
            error: None,
        }
    }
}

impl<T: Send + Sync + 'static> Loader<T> {
    /// Makes sure the rows belong to `stamp`. Returns true when new rows arrived this frame.
    pub fn ensure(
        &mut self,
        ctx: &egui::Context,
        stamp: u64,
        inline: bool,
        load: impl FnOnce(&mut dyn FnMut(&str, u64, u64)) -> Result<Vec<T>, String> + Send + 'static,
    ) -> bool {
        let mut changed = false;
        if let Some((job, s)) = &mut self.job
            && let Some(result) = job.poll()
        {
            let s = *s;
            self.job = None;
            match result {
                Ok(rows) => {
                    self.rows = std::sync::Arc::new(rows);
                    self.stamp = Some(s);
                    self.error = None;
                    changed = true;
                }
                Err(e) => {
                    self.error = Some(e);
                    self.stamp = Some(s);
                }
            }
        }
        let pending = self.job.as_ref().map(|(_, s)| *s);
        if self.stamp != Some(stamp) && pending != Some(stamp) {
            if inline {
                self.job = None;
                match load(&mut |_, _, _| {}) {
                    Ok(rows) => {
                        self.rows = std::sync::Arc::new(rows);
                        self.error = None;
                    }
                    Err(e) => self.error = Some(e),
                }
                self.stamp = Some(stamp);
                changed = true;
            } else {
                self.job = Some((Job::spawn(ctx, load), stamp));
            }
        }
        if self.job.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        changed
    }

    /// [`Loader::ensure`] with every record of `E` in the store, each made into a row by
    /// `row`, for the window's revision of `E` (the rows reload after each write of one).
    pub fn ensure_all<E: crate::store::Entity>(
        &mut self,
        ctx: &egui::Context,
        env: &super::Env,
        inline: bool,
        row: impl Fn(E) -> T + Send + 'static,
    ) -> bool {
        let store = env.store.clone();
        self.ensure(ctx, env.revision(E::KIND), inline, move |_| {
            let r = store.read().map_err(|e| e.to_string())?;
            let mut v = Vec::new();
            r.for_each(|x: E| v.push(row(x)))
                .map_err(|e| e.to_string())?;
            Ok(v)
        })
    }

    /// The stamp the rows on screen were loaded for (changes whenever new rows arrive), for
    /// the change keys of the screens that filter and sort them.
    pub fn loaded(&self) -> u64 {
        self.stamp.unwrap_or(u64::MAX)
    }

    /// Progress of a load in the background, if one is running.
    pub fn loading(&self) -> Option<f32> {
        self.job.as_ref().map(|(j, _)| j.fraction())
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
