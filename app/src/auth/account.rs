//! "Mon compte": who is signed in, and signing out.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use super::{AuthActions, use_user};
use crate::shell::Loaded;
use crate::shell::icons::Icon;

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_user();
    let sign_out = expect_context::<AuthActions>().sign_out;
    view! {
        <Title text="Mon compte"/>
        <Loaded resource=user render=move |value| match value {
                    Some(u) => view! {
                        <section class="page page--narrow">
                            <h1 class="page__title"><Icon name="user"/>"Mon compte"</h1>
                            <dl class="facts">
                                <dt>"Nom"</dt><dd>{u.display_name.clone()}</dd>
                                <dt>"Rôle"</dt><dd>{u.role.label()}</dd>
                                <dt>"Structure"</dt><dd>{u.structure_name.clone()}</dd>
                            </dl>
                            <ActionForm action=sign_out attr:class="form">
                                <button type="submit" class="button button--secondary button--wide">
                                    <Icon name="logout"/>
                                    "Se déconnecter"
                                </button>
                            </ActionForm>
                        </section>
                    }
                    .into_any(),
                    None => view! { <Redirect path="/connexion"/> }.into_any(),
        }/>
    }
}
