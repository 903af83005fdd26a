"""The form engine: questionnaire definitions, conditions and answers.

Pure Python on purpose (no Flask, Jinja or SQLAlchemy), so it can be checked and tested alone.
"""

from .answers import (
    FormState,
    is_answered,
    normalise,
    validate_answer,
)
from .cache import DefinitionCache, DefinitionRegistry
from .check import check_paths
from .expressions import Expression, ExpressionError, parse_expression
from .formdata import Action, Sent, SubmittedForm, read_form
from .loader import DEFAULT_LIMITS, Limits, load_definition, parse_definition, refusals
from .model import (
    AUDIENCE_ROLES,
    Block,
    Definition,
    DefinitionError,
    Field,
    Item,
    Option,
    Problem,
    Question,
    RepeatableField,
    Section,
    Settings,
    setting,
)
from .schema import definition_schema, schema_text
from .types import QUESTION_TYPES, QuestionType, Shown, register, type_of
from .words import count_words

__all__ = [
    "AUDIENCE_ROLES",
    "DEFAULT_LIMITS",
    "QUESTION_TYPES",
    "Action",
    "Block",
    "Definition",
    "DefinitionCache",
    "DefinitionError",
    "DefinitionRegistry",
    "Expression",
    "ExpressionError",
    "Field",
    "FormState",
    "Item",
    "Limits",
    "Option",
    "Problem",
    "Question",
    "QuestionType",
    "RepeatableField",
    "Section",
    "Sent",
    "Settings",
    "Shown",
    "SubmittedForm",
    "check_paths",
    "count_words",
    "definition_schema",
    "is_answered",
    "load_definition",
    "normalise",
    "parse_definition",
    "parse_expression",
    "read_form",
    "refusals",
    "register",
    "schema_text",
    "setting",
    "type_of",
    "validate_answer",
]
