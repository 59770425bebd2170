//! The sign-in screen: works as a plain HTML form before the app has loaded.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::auth::AuthActions;
use crate::widgets::icons::Icon;

#[component]
pub fn SignInPage() -> impl IntoView {
    let actions = expect_context::<AuthActions>();
    let sign_in = actions.sign_in;
    let error = move || {
        sign_in
            .value()
            .get()
            .and_then(|result| result.err())
            .map(|err| err.to_string())
    };
    let (show_secret, set_show_secret) = signal(false);

    view! {
        <Title text="Connexion"/>
        <section class="page page--narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title" class="page__title">
                <Icon name="key"/>
                "Connexion"
            </h1>
            <ActionForm action=sign_in attr:class="form" attr:novalidate="">
                <div class="field">
                    <label class="field__label" for="login">"Identifiant"</label>
                    <input
                        class="field__input"
                        id="login"
                        name="login"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        maxlength="200"
                    />
                </div>
                <div class="field">
                    <label class="field__label" for="secret">"Mot de passe ou code"</label>
                    <div class="field__row">
                        <input
                            class="field__input"
                            id="secret"
                            name="secret"
                            type=move || if show_secret.get() { "text" } else { "password" }
                            autocomplete="current-password"
                            required
                            maxlength="1024"
                        />
                        <button
                            type="button"
                            class="button button--quiet"
                            aria-controls="secret"
                            aria-pressed=move || show_secret.get().to_string()
                            on:click=move |_| set_show_secret.update(|s| *s = !*s)
                        >
                            {move || if show_secret.get() { "Masquer" } else { "Afficher" }}
                        </button>
                    </div>
                </div>
                <Show when=move || error().is_some()>
                    <p class="notice notice--error" role="alert">
                        <Icon name="alert"/>
                        {error}
                    </p>
                </Show>
                <button type="submit" class="button button--primary button--wide">
                    "Se connecter"
                </button>
            </ActionForm>
            <p class="hint">
                "Salarié·e : votre identifiant et votre code vous sont donnés par votre conseillère ou votre conseiller."
            </p>
        </section>
    }
}
