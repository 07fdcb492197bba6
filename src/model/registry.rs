//! The registry of reference models: one line per model, naming its variant of [`Model`]
//! and the type in its own file that implements [`ReferenceModel`]. Everything else about a
//! model (its name, columns, formula and computation) lives in that file.

use std::fmt;
use std::str::FromStr;

use super::ReferenceModel;

/// Declares [`Model`] from the registry lines `Variant => module::Type`, in column order.
macro_rules! models {
    ($($(#[$doc:meta])* $variant:ident => $module:ident::$implementation:ident,)+) => {
        /// The reference models synergist computes, as named on the command line and in
        /// output column prefixes ([`Model::name`]). [`Model::ALL`] is the registry, in
        /// SynergyFinder's order; the default is its first, ZIP, as in SynergyFinder.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Model {
            $($(#[$doc])* $variant,)+
        }

        impl Model {
            /// Every model, in the registry's order.
            pub const ALL: [Model; [$(Model::$variant),+].len()] = [$(Model::$variant),+];

            /// The model's implementation.
            pub fn reference_model(self) -> &'static dyn ReferenceModel {
                match self {
                    $(Model::$variant => &super::$module::$implementation,)+
                }
            }
        }
    };
}

models! {
    /// Zero interaction potency (Yadav et al. 2015, as in SynergyFinder 3).
    Zip => zip::Zip,
    /// Highest single agent.
    Hsa => hsa::Hsa,
    /// Bliss independence.
    Bliss => bliss::Bliss,
    /// Loewe additivity.
    Loewe => loewe::Loewe,
}

impl Default for Model {
    fn default() -> Self {
        Model::ALL[0]
    }
}

impl Model {
    /// The lower-case name used on the command line and in column names.
    pub fn name(self) -> &'static str {
        self.reference_model().name()
    }

    /// The name as written in text and on figures: ZIP, HSA, Bliss, Loewe.
    pub fn display_name(self) -> &'static str {
        self.reference_model().display_name()
    }

    /// Parses a comma-separated list such as `zip,hsa`, keeping its order and dropping
    /// repeats.
    ///
    /// # Errors
    /// [`UnknownModel`] for a name that is not a model.
    pub fn parse_list(text: &str) -> Result<Vec<Model>, UnknownModel> {
        let mut models = Vec::new();
        for name in text
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            let model = name.parse::<Model>()?;
            if !models.contains(&model) {
                models.push(model);
            }
        }
        if models.is_empty() {
            return Err(UnknownModel {
                name: text.to_string(),
            });
        }
        Ok(models)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Model {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A model name that is not one of synergist's models.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not a model (choose from {})", model_names())]
pub struct UnknownModel {
    /// The name given.
    pub name: String,
}

/// The registered names, comma-separated.
fn model_names() -> String {
    Model::ALL.map(Model::name).join(", ")
}

impl FromStr for Model {
    type Err = UnknownModel;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Model::ALL
            .into_iter()
            .find(|model| model.name().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| UnknownModel {
                name: text.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_lists_keep_their_order() {
        for model in Model::ALL {
            assert_eq!(model.name().parse::<Model>(), Ok(model));
            assert_eq!(model.name(), model.reference_model().name());
        }
        assert_eq!(
            Model::parse_list("loewe, zip,loewe"),
            Ok(vec![Model::Loewe, Model::Zip])
        );
        assert_eq!(
            "blis".parse::<Model>().unwrap_err().to_string(),
            "\"blis\" is not a model (choose from zip, hsa, bliss, loewe)"
        );
    }
}
