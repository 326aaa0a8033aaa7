// Stockroom dashboard: confirm destructive buttons, and save stock changes without a reload.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

function say(message, isError) {
  const status = document.getElementById("stock-status");
  if (!status) return;
  status.textContent = message;
  status.classList.toggle("error", Boolean(isError));
}

async function saveStock(form) {
  const row = form.closest("tr");
  const buttons = row ? row.querySelectorAll("button") : [];
  buttons.forEach((button) => { button.disabled = true; });
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
    const body = isJson ? await response.json() : null;
    if (!response.ok || !body) {
      say(body && body.detail ? body.detail : "Not saved: sign in again and retry.", true);
      return;
    }
    const input = row ? row.querySelector("[data-quantity]") : null;
    if (input) {
      if ("value" in input) input.value = body.quantity; else input.textContent = body.quantity;
    }
    const name = row ? row.querySelector("strong") : null;
    say(`Saved: ${name ? name.textContent : "product"} now ${body.quantity}.`, false);
  } catch (error) {
    say("Not saved: the network failed; retry.", true);
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.hasAttribute("data-stock-form")) {
    event.preventDefault();
    saveStock(form);
  }
});

// The import page: poll the job until it has finished, moving the progress bar.
async function pollJob(section) {
  const bar = document.getElementById("job-progress");
  const status = document.getElementById("job-status");
  const count = document.getElementById("job-count");
  try {
    const response = await fetch(section.dataset.progressUrl, {
      headers: { "Accept": "application/json" }, credentials: "same-origin",
    });
    if (!response.ok) return;
    const job = await response.json();
    bar.max = job.progress.total || 1;
    bar.value = job.progress.done;
    status.textContent = job.status;
    count.textContent = `${job.progress.done} of ${job.progress.total} rows`;
    if (job.status === "succeeded" || job.status === "failed") {
      window.location.reload();
      return;
    }
  } catch (error) {
    // A network hiccup: try again on the next tick.
  }
  window.setTimeout(() => pollJob(section), 1000);
}

const jobSection = document.getElementById("job");
if (jobSection && jobSection.dataset.finished === "no") {
  window.setTimeout(() => pollJob(jobSection), 1000);
}
