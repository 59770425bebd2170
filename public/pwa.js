// Registers Jalon's service worker, and offers a new deployment once it is
// ready: "Nouvelle version disponible — recharger". The page reloads only
// when the person taps it, so nothing typed is interrupted.
if ("serviceWorker" in navigator) {
  const whenHydrated = (then) => {
    if (document.body && document.body.dataset.hydrated) then();
    else setTimeout(() => whenHydrated(then), 200);
  };

  const offer = (worker) =>
    whenHydrated(() => {
      if (document.getElementById("update-banner")) return;
      const button = document.createElement("button");
      button.id = "update-banner";
      button.type = "button";
      button.className = "update-banner";
      button.textContent = "Nouvelle version disponible — recharger";
      button.addEventListener("click", () => {
        button.disabled = true;
        // Reload once the new worker is fully active (not while it is still
        // activating), so the new page is served and cached by it alone.
        worker.addEventListener("statechange", () => {
          if (worker.state === "activated") window.location.reload();
        });
        worker.postMessage("skip-waiting");
      });
      document.body.appendChild(button);
    });

  navigator.serviceWorker
    .register("/sw.js")
    .then((registration) => {
      if (registration.waiting && navigator.serviceWorker.controller) {
        offer(registration.waiting);
      }
      registration.addEventListener("updatefound", () => {
        const worker = registration.installing;
        if (!worker) return;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) {
            offer(worker);
          }
        });
      });
      // A deployment during the day is found without a reload.
      setInterval(() => registration.update().catch(() => {}), 15 * 60 * 1000);
    })
    .catch(() => {
      // No service worker (private mode, old browser): Jalon works online only.
    });
}
