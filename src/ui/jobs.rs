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
