// Observations in a real Chromium: a supervisor writes offline from the
// team list (an alert, a shared strength, a barrier, a sensitive one), the
// counsellor's feed puts the alert first, the counsellor acknowledges and
// replies, the reply reaches the supervisor's phone, the worker sees only
// what was shared, and the sensitive one reaches nobody else (its reads
// are in the audit log). Each test starts its own server.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect, hydrated, signIn, readyOffline, scrollsSideways, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon, type Jalon } from '../support/server';
import { readStore } from '../support/phone';
import { note } from '../support/observations';

const AMINA = 'Amina Diallo';

interface StoredRecord {
  id: string;
  data: { body: string; kind: string; shared: boolean };
}

async function phone(browser: Browser, jalon: Jalon, login: string, secret = DEMO.staffPassword) {
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  const page = await context.newPage();
  await readyOffline(page, login, secret);
  return { context, page };
}

const card = (page: Page, text: string) => page.locator('.observation', { hasText: text });

async function stored(page: Page): Promise<StoredRecord[]> {
  return readStore<StoredRecord[]>(page, 'observation', 'all');
}

test('an alert written offline is first in the counsellor\'s feed, acknowledged and answered back; the worker sees only what was shared', async ({ browser }) => {
  test.setTimeout(240_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const contexts: BrowserContext[] = [];
  try {
    // The admin makes Nadia a second supervisor of team A: she must not
    // receive Julien's sensitive observation.
    const office = await browser.newContext({ baseURL: jalon.url });
    contexts.push(office);
    const admin = await office.newPage();
    await signIn(admin, DEMO.admin, DEMO.staffPassword);
    await expect(admin).toHaveURL(/\/$/);
    const teams = await (await admin.request.post('/api/people/list_teams')).json();
    const teamA = teams.find((t: { name: string }) => t.name.startsWith('Espaces')).id;
    const [users] = await (await admin.request.post('/api/people/list_users')).json();
    const nadia = users.find((u: { login: string }) => u.login === DEMO.supervisorB).id;
    const assigned = await admin.request.post('/api/people/assign_supervisor', { form: { team_id: teamA, user_id: nadia, assign: 'true' } });
    expect(assigned.status()).toBe(200);

    const sup = await phone(browser, jalon, DEMO.supervisorA);
    contexts.push(sup.context);
    const marker = `obs-${Date.now()}`;
    await sup.context.setOffline(true);
    const alertText = `${marker} alerte : dit ne plus avoir de logement depuis hier`;
    const sharedText = `${marker} atout : a expliqué le réglage au nouveau <b>calmement</b>`;
    const barrierText = `${marker} frein : bus supprimé, arrivée à 8 h 20`;
    const healthText = `${marker} santé : dit avoir mal au dos`;
    await note(sup.page, AMINA, 'Alerte', alertText);
    await note(sup.page, AMINA, 'Atout', sharedText, { share: true });
    await note(sup.page, AMINA, 'Frein', barrierText, { category: 'Mobilité' });
    await note(sup.page, AMINA, 'Frein', healthText, { category: 'Santé' });

    // Hostile input: 20,000 characters are refused before anything is saved.
    const before = (await stored(sup.page)).length;
    await sup.page.goto('/observations');
    await hydrated(sup.page);
    await sup.page.getByRole('link', { name: `Noter une observation sur ${AMINA}` }).click();
    await hydrated(sup.page);
    await sup.page.getByLabel('Incident', { exact: true }).check();
    await sup.page.getByLabel('Ce que vous avez vu ou entendu').fill('x'.repeat(20_000));
    await expect(sup.page.locator('#body-count')).toHaveText('20000 caractères : 16000 de trop (au plus 4000).');
    await sup.page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(sup.page.getByRole('alert')).toHaveText('Texte : trop long (20000 caractères, au plus 4000).');
    expect((await stored(sup.page)).length).toBe(before);
    expect(await scrollsSideways(sup.page)).toBe(false);

    // Offline, the worker's page lists them newest first, filtered by kind and category.
    await sup.page.goto('/observations');
    await hydrated(sup.page);
    await sup.page.locator('.team-row__name', { hasText: AMINA }).click();
    await expect(sup.page.getByRole('heading', { name: AMINA })).toBeVisible();
    await sup.page.getByRole('link', { name: 'Frein', exact: true }).click();
    await expect(card(sup.page, marker)).toHaveCount(2);
    await sup.page.getByRole('link', { name: 'Santé', exact: true }).click();
    await expect(card(sup.page, marker)).toHaveCount(1);
    await expect(card(sup.page, marker)).toContainText('Sensible');
    await expect(sup.page.locator('.syncbar')).toContainText('Hors ligne · 4 en attente');
    expect(await scrollsSideways(sup.page)).toBe(false);

    // Back online: sent.
    await sup.context.setOffline(false);
    await sup.page.goto('/observations');
    await hydrated(sup.page);
    await expect(card(sup.page, marker).locator('.chip', { hasText: 'Envoyée' })).toHaveCount(4, { timeout: 30_000 });
    await expect(card(sup.page, sharedText)).toContainText('<b>calmement</b>');
    await expect(card(sup.page, sharedText)).toContainText('Partagée avec le salarié');

    // The counsellor: open alerts first, ours among them, before anything else.
    const cipContext = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
    contexts.push(cipContext);
    const cip = await cipContext.newPage();
    await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
    await expect(cip).toHaveURL(/\/$/);
    await cip.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Observations' }).click();
    await expect(cip).toHaveURL(/\/fil$/);
    await hydrated(cip);
    const cards = cip.locator('.observation');
    await expect(cards.first()).toBeVisible();
    const order = await cards.evaluateAll((els) => els.map((e) => ({ open: e.classList.contains('observation--open-alert'), text: e.textContent ?? '' })));
    const ours = order.findIndex((c) => c.text.includes(alertText));
    expect(ours).toBeGreaterThanOrEqual(0);
    expect(order.slice(0, ours + 1).every((c) => c.open)).toBe(true);
    const firstOther = order.findIndex((c) => !c.open);
    expect(firstOther).toBeGreaterThan(ours);
    await expect(card(cip, healthText)).toContainText('Sensible');
    await expect(cip.locator('.feed__summary')).toContainText('alertes à prendre en compte');
    expect(await scrollsSideways(cip)).toBe(false);

    // Acknowledge and reply.
    const alertCard = card(cip, alertText);
    await alertCard.getByRole('button', { name: 'Prendre en compte' }).click();
    await expect(alertCard).not.toHaveClass(/observation--open-alert/);
    await expect(alertCard).toContainText('Alerte prise en compte par Sophie Lambert');
    await alertCard.getByRole('button', { name: 'Répondre' }).click();
    const reply = `${marker} réponse : je l'appelle ce soir, merci <i>Julien</i>`;
    await alertCard.getByLabel("Votre réponse (l'encadrant la verra sur son téléphone)").fill(reply);
    await alertCard.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await expect(alertCard.locator('.reply')).toContainText(reply);
    // Mark the shared one read.
    const sharedCard = card(cip, sharedText);
    await sharedCard.getByRole('button', { name: 'Marquer comme lue' }).click();
    await expect(sharedCard.locator('.chip', { hasText: 'Nouvelle' })).toHaveCount(0);
    // Filters: by kind.
    await cip.getByText('Filtrer').click();
    await cip.getByLabel('Type').selectOption({ label: 'Frein' });
    await expect(card(cip, barrierText)).toBeVisible();
    await expect(card(cip, alertText)).toHaveCount(0);
    // "Tout marquer comme lu" marks what the filter shows, nothing else.
    await expect(card(cip, barrierText).locator('.chip', { hasText: 'Nouvelle' })).toHaveCount(1);
    await cip.getByRole('button', { name: /^Tout marquer comme lu/ }).click();
    await expect(cip.locator('.observation .chip', { hasText: 'Nouvelle' })).toHaveCount(0);
    await expect(cip.getByRole('button', { name: /^Tout marquer comme lu/ })).toHaveCount(0);
    await cip.getByRole('button', { name: 'Effacer les filtres' }).click();
    await expect(card(cip, healthText).locator('.chip', { hasText: 'Nouvelle' })).toHaveCount(0); // santé is a barrier too
    await expect(cip.locator('.observation .chip', { hasText: 'Nouvelle' }).first()).toBeVisible(); // others still unread

    // The supervisor's phone gets the follow-up with the next sync.
    await sup.page.getByRole('button', { name: 'Synchroniser' }).click();
    await expect(card(sup.page, alertText).locator('.reply')).toContainText(reply, { timeout: 20_000 });
    await expect(card(sup.page, alertText)).toContainText('Alerte prise en compte par Sophie Lambert');
    await expect(card(sup.page, alertText)).toContainText('Vu par la CIP (Sophie Lambert');
    await expect(card(sup.page, sharedText)).toContainText('Vu par la CIP (Sophie Lambert');
    await expect(card(sup.page, barrierText)).toContainText('Vu par la CIP (Sophie Lambert');

    // The worker: only the shared one, on the phone and on screen.
    const amina = await phone(browser, jalon, DEMO.firstWorker, DEMO.workerPin);
    contexts.push(amina.context);
    // "Mes réussites" lists what was shared with her; the observations page too.
    await amina.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réussites' }).click();
    await hydrated(amina.page);
    await expect(amina.page.getByRole('list', { name: "Ce que l'équipe a noté pour vous" })).toContainText(sharedText);
    await amina.page.getByRole('link', { name: 'Voir les observations partagées' }).click();
    await hydrated(amina.page);
    await expect(amina.page.getByRole('heading', { name: 'Observations partagées avec vous' })).toBeVisible();
    await expect(card(amina.page, marker)).toHaveCount(1);
    await expect(card(amina.page, marker)).toContainText(sharedText);
    const onWorkerPhone = (await stored(amina.page)).map((r) => r.data.body);
    expect(onWorkerPhone.filter((b) => b.includes(marker))).toEqual([sharedText]);
    expect(JSON.stringify(await stored(amina.page))).not.toContain('replies');

    // Nadia (second supervisor of team A): the team's observations, never the sensitive one.
    const nadiaPhone = await phone(browser, jalon, DEMO.supervisorB);
    contexts.push(nadiaPhone.context);
    const hers = (await stored(nadiaPhone.page)).map((r) => r.data.body).filter((b) => b.includes(marker));
    expect(hers.sort()).toEqual([alertText, sharedText, barrierText].sort());
    await nadiaPhone.page.goto('/observations');
    await hydrated(nadiaPhone.page);
    await expect(card(nadiaPhone.page, healthText)).toHaveCount(0);

    // Every read of the sensitive one by someone else is in the audit log.
    const healthId = (await stored(sup.page)).find((r) => r.data.body === healthText)!.id;
    const audit = await (await admin.request.post('/api/audit/list', { form: { action: 'sensitive_read' } })).json();
    const reads = audit.lines.filter((e: { target: string }) => e.target === healthId);
    expect(reads.length).toBeGreaterThanOrEqual(2); // delivered to the counsellor's phone, shown in the feed
    expect(reads.every((e: { actor: string }) => e.actor === 'Sophie Lambert')).toBe(true);
    // Each names the person the observation is about.
    expect(new Set(reads.map((e: { person: string | null }) => e.person)).size).toBe(1);
    expect(reads[0].person).toBeTruthy();
  } finally {
    for (const c of contexts) await c.close();
    await jalon.stop();
  }
});

test('a correction needs a reason and keeps the history; a retraction hides the text and keeps the trace', async ({ browser }) => {
  test.setTimeout(180_000);
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const contexts: BrowserContext[] = [];
  try {
    const sup = await phone(browser, jalon, DEMO.supervisorA);
    contexts.push(sup.context);
    const marker = `corr-${Date.now()}`;
    await note(sup.page, 'Kevin Lefort', 'Compétence métier', `${marker} taille de haie au cordeau`);
    await expect(card(sup.page, marker).locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });

    // Correct it: refused without a reason, saved with one.
    await card(sup.page, marker).getByRole('link', { name: 'Modifier' }).click();
    await hydrated(sup.page);
    await sup.page.getByLabel('Ce que vous avez vu ou entendu').fill(`${marker} taille de haie au cordeau, sans aide`);
    await sup.page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(sup.page.getByRole('alert')).toHaveText("Indiquez le motif de la correction (il reste dans l'historique).");
    await sup.page.getByLabel('Motif de la correction ou du retrait (obligatoire)').fill("Précision : <script>x</script> l'a fait seul");
    await sup.page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(sup.page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
    await expect(card(sup.page, 'sans aide').locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });
    await card(sup.page, 'sans aide').getByRole('button', { name: "Voir l'historique" }).click();
    const history = card(sup.page, 'sans aide').locator('.history li');
    await expect(history).toHaveCount(2);
    await expect(history.nth(1)).toContainText("Motif : Précision : <script>x</script> l'a fait seul");
    await expect(history.nth(0)).toContainText(`${marker} taille de haie au cordeau`);

    // Retract it: needs a reason; the text leaves the lists, the trace stays.
    await card(sup.page, 'sans aide').getByRole('link', { name: 'Modifier' }).click();
    await hydrated(sup.page);
    await sup.page.getByRole('button', { name: 'Retirer cette observation' }).click();
    await sup.page.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect(sup.page.getByRole('alert')).toHaveText('Indiquez pourquoi vous retirez cette observation.');
    await sup.page.getByLabel('Motif de la correction ou du retrait (obligatoire)').fill('Mauvaise personne');
    await sup.page.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect(sup.page.getByText('Observation enregistrée sur ce téléphone.')).toBeVisible();
    const retracted = sup.page.locator('.observation--retracted').first();
    await expect(retracted).toContainText('Observation retirée — motif : Mauvaise personne');
    await expect(card(sup.page, 'sans aide')).toHaveCount(0);
    await expect(retracted.locator('.chip', { hasText: 'Envoyée' })).toBeVisible({ timeout: 20_000 });

    // The counsellor sees the trace, not the text, and its history hides the texts too.
    const cip = await phone(browser, jalon, DEMO.counsellor);
    contexts.push(cip.context);
    await cip.page.goto('/fil');
    await hydrated(cip.page);
    await cip.page.getByText('Filtrer').click();
    await cip.page.getByLabel('Personne').selectOption({ label: 'Kevin Lefort' });
    // The filtered feed replaces the cards: wait for it, or a tap on the
    // card about to go would be lost with it.
    await expect(cip.page.getByText('Filtres (actifs)')).toBeVisible();
    const trace = cip.page.locator('.observation', { hasText: 'Mauvaise personne' });
    await expect(trace).toContainText('Observation retirée — motif : Mauvaise personne');
    await trace.getByRole('button', { name: "Voir l'historique" }).click();
    await expect(trace.locator('.history li')).toHaveCount(3);
    await expect(trace.locator('.history')).not.toContainText(marker);
    expect(JSON.stringify(await stored(cip.page))).not.toContain(`${marker} taille`);
  } finally {
    for (const c of contexts) await c.close();
    await jalon.stop();
  }
});

test("the counsellor's navigation counts the alerts waiting for her, on every screen", async ({ browser }) => {
  const jalon = await startJalon({ dataDir: freshDataDir() });
  const context = await browser.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
  try {
    const cip = await context.newPage();
    await signIn(cip, DEMO.counsellor, DEMO.staffPassword);
    await expect(cip).toHaveURL(/\/$/);
    await hydrated(cip);
    const open = await (await cip.request.post('/api/frame/open_alerts')).json();
    expect(open).toBeGreaterThanOrEqual(1);
    const nav = cip.getByRole('navigation', { name: 'Navigation principale' });
    const badge = nav.locator('.bottomnav__badge');
    await expect(badge).toHaveText(String(open));
    await expect(badge).toHaveAttribute('aria-label', open > 1 ? `${open} alertes à prendre en compte` : '1 alerte à prendre en compte');

    // Another screen: still there. One alert taken into account: one fewer as
    // soon as the counsellor moves to another screen inside the app.
    await nav.getByRole('link', { name: /Observations/ }).click();
    await expect(cip).toHaveURL(/\/fil$/);
    await hydrated(cip);
    await expect(badge).toHaveText(String(open));
    await cip.locator('.observation--open-alert').first().getByRole('button', { name: 'Prendre en compte' }).click();
    await expect(cip.locator('.observation--open-alert')).toHaveCount(open - 1);
    await nav.getByRole('link', { name: /Présences/ }).click();
    await expect(cip).toHaveURL(/\/presences$/);
    await expect(cip.getByRole('heading', { level: 1 })).toHaveText('Présences');
    if (open > 1) await expect(badge).toHaveText(String(open - 1));
    else await expect(badge).toHaveCount(0);

    // A supervisor's navigation carries no count.
    const sup = await context.browser()!.newContext({ baseURL: jalon.url, viewport: { width: 360, height: 640 } });
    const page = await sup.newPage();
    await signIn(page, DEMO.supervisorA, DEMO.staffPassword);
    await expect(page).toHaveURL(/\/$/);
    await hydrated(page);
    await expect(page.getByRole('navigation', { name: 'Navigation principale' }).locator('.bottomnav__badge')).toHaveCount(0);
    await sup.close();
  } finally {
    await context.close();
    await jalon.stop();
  }
});
